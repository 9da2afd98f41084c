import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { formBody, formErrors, zodFormErrors } from '../../platform/http/forms.ts';
import { codePageProblem } from '../throttling/index.ts';
import { MEMBER_ISSUERS } from '../../platform/http/caseAccess.ts';
import { describeIdentifier, readCheckForm } from '../identifiers/index.ts';
import { formatReceiptCode } from '../../platform/crypto/receiptCodes.ts';
import { INCIDENT_TYPES } from '../vocabulary/index.ts';
import {
  MEMBER_APPROVERS,
  MEMBER_LIST_READERS,
  MEMBER_SETTINGS_ADMINS,
  MEMBER_SUSPENDERS,
  holds,
} from './memberAccess.ts';
import {
  JOIN_MODES,
  MemberError,
  alertsSchema,
  workingNameSchema,
  type CodeRefusal,
  type MemberIdentity,
  type MemberJoinMode,
} from './memberService.ts';
import { warningsOf } from './warningsAccess.ts';

const PUBLIC = { access: { kind: 'public' } } as const;
const ISSUERS = { access: MEMBER_ISSUERS } as const;
const SUPPORT_ADMINS = { access: { kind: 'staff', roles: ['admin'], orgKind: 'support' } } as const;
/** A right code that does not sign in yet (wrong codes and waits are worded by sign-in/codeRefusal.ts). */
const CODE_REFUSED: Record<Exclude<CodeRefusal, 'wrong'>, string> = {
  waiting:
    'Your code has not been approved yet. Show it to an outreach worker or caseworker and ask them to approve it.',
  suspended: 'This code has been stopped. If you think that is a mistake, talk to an outreach worker.',
};
/** What the staff list says about how people join, from the organisation's setting. */
const JOIN_MODE_SENTENCES: Record<MemberJoinMode, string> = {
  open: 'Anyone can join online: their code works at once.',
  approval: 'People can join online, but their code works only once an outreach worker or caseworker approves it.',
  staff: 'Only staff give member codes, on outreach: the join page gives none.',
};
const DONE: Record<string, string> = {
  approved: 'The code now works. Tell the person they can sign in with it.',
  suspended: 'The member is suspended: their code has stopped working and they have been signed out.',
  restored: 'The suspension is lifted: their code works again.',
};
const NOT_FOUND = () => new HttpError(404, 'not_found', 'If you typed the web address, check it is correct.');
/** Joining makes a code (a slow hash): generous for people, tight for a flood. */
const JOIN_LIMIT = { max: 20, timeWindow: '10 minutes' };
const CODE_LIMIT = { max: 30, timeWindow: '10 minutes' };
const CHECK_LIMIT = { max: 60, timeWindow: '10 minutes' };
/** How often the server sends waiting alert emails. */

const filterSchema = z.object({
  area: z.string().trim().max(120).catch(''),
  type: z
    .enum(Object.keys(INCIDENT_TYPES) as [keyof typeof INCIDENT_TYPES])
    .or(z.literal(''))
    .catch(''),
});

/** The areas ticked in a form (checkboxes arrive as one string or a list). */
function areasIn(body: unknown): string[] {
  const raw = (body as Record<string, unknown> | undefined)?.areas;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map(String).slice(0, 100);
}

/**
 * Members on the public site (join, sign in with the member code, warnings,
 * check a number, email alerts, leave), staff issuing codes on outreach, and
 * the administrators' "warnings are public" setting. The alert sender runs
 * while the server listens.
 */
export async function memberRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const { members } = services;
  const cookieName = services.cookies.memberSession;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: services.config.secureCookies,
  };

  // ---- joining ----------------------------------------------------------------

  async function supportOrganisation(slug: string) {
    const organisation = await services.organisations.findBySlug(slug);
    if (organisation?.kind !== 'support') throw NOT_FOUND();
    return organisation;
  }

  const joinPage = async (
    reply: FastifyReply,
    organisation: { id: string; slug: string; name: string },
    extra: Record<string, unknown> = {},
  ) =>
    reply.render('members/views/join.njk', {
      organisation,
      joinMode: await members.joinMode(organisation.id),
      alertsEnabled: members.alertsEnabled,
      areas: await services.organisations.areas(organisation.id),
      values: { areas: [] },
      ...extra,
    });

  app.get('/members', { config: PUBLIC }, async (request, reply) => {
    if (await members.resumeSession(request.cookies[cookieName])) return reply.redirect('/members/warnings', 303);
    const support = (await services.organisations.list()).filter((o) => o.kind === 'support');
    const open = [];
    for (const o of support) if (await members.warningsPublic(o.id)) open.push(o);
    return reply.render('members/views/start.njk', { organisations: support, publicOrganisations: open });
  });

  app.get('/members/join', { config: PUBLIC }, async (_request, reply) => {
    const support = (await services.organisations.list()).filter((o) => o.kind === 'support');
    if (support.length === 1) return reply.redirect(`/o/${support[0]!.slug}/members/join`, 303);
    return reply.render('members/views/choose-organisation.njk', { organisations: support });
  });

  app.get<{ Params: { slug: string } }>('/o/:slug/members/join', { config: PUBLIC }, async (request, reply) =>
    joinPage(reply, await supportOrganisation(request.params.slug)),
  );

  app.post<{ Params: { slug: string } }>(
    '/o/:slug/members/join',
    { config: { ...PUBLIC, rateLimit: JOIN_LIMIT } },
    async (request, reply) => {
      const organisation = await supportOrganisation(request.params.slug);
      // Codes given only on outreach: the page says so, and nothing is made.
      if ((await members.joinMode(organisation.id)) === 'staff') return joinPage(reply.code(403), organisation);
      const body = formBody(request.body);
      const values = { name: body.name ?? '', email: body.email ?? '', areas: areasIn(request.body) };
      const problems: { field: string; message: string }[] = [];
      const name = workingNameSchema.safeParse(values.name);
      if (!name.success) problems.push({ field: 'name', message: name.error.issues[0]!.message });
      const wantsEmail = members.alertsEnabled && values.email.trim() !== '';
      if (wantsEmail) {
        const alerts = alertsSchema.safeParse({ email: values.email, areas: values.areas });
        if (!alerts.success) problems.push({ field: 'email', message: alerts.error.issues[0]!.message });
      }
      if (!wantsEmail && values.areas.length && members.alertsEnabled)
        problems.push({ field: 'email', message: 'Enter your email address to get alerts for the areas you chose' });
      if (problems.length) return joinPage(reply.code(400), organisation, { values, ...formErrors(problems) });
      try {
        const { code, waiting } = await members.join(organisation.id, {
          name: values.name,
          ...(wantsEmail ? { email: values.email, areas: values.areas } : {}),
        });
        // Shown in this response only (no-store): the code is never stored and nobody can show it again.
        return reply.render('members/views/code.njk', {
          code: formatReceiptCode(code),
          alerts: wantsEmail,
          waiting,
          organisationName: organisation.name,
        });
      } catch (error) {
        if (!(error instanceof MemberError)) throw error;
        if (error.code === 'closed') return joinPage(reply.code(403), organisation);
        return joinPage(reply.code(400), organisation, {
          values,
          ...formErrors([{ field: 'areas', message: error.message }]),
        });
      }
    },
  );

  // ---- signing in -------------------------------------------------------------

  /** The signed-in member, or a redirect to sign in. */
  async function memberOf(request: FastifyRequest, reply: FastifyReply): Promise<MemberIdentity | undefined> {
    const member = await members.resumeSession(request.cookies[cookieName]);
    if (!member) reply.clearCookie(cookieName, cookieOptions).redirect('/members/sign-in', 303);
    return member;
  }

  // Under a guessing spike the form carries a ticket (proof of work for the browser, or a short wait).
  app.get('/members/sign-in', { config: PUBLIC }, async (request, reply) =>
    reply.render('members/views/sign-in.njk', {
      values: {},
      ticket: await services.codeGuard.ticketIfNeeded('member', request.ip),
    }),
  );

  app.post('/members/sign-in', { config: { ...PUBLIC, rateLimit: CODE_LIMIT } }, async (request, reply) => {
    const body = formBody(request.body);
    const code = (body.code ?? '').slice(0, 40);
    const result = await members.signInWithCode(
      code,
      request.ip,
      { ticket: body.ticket, pow: body.pow },
      { offerTickets: true },
    );
    if (!result.ok) {
      const problem = codePageProblem(result, 'Sign in');
      return reply.code(problem.status).render('members/views/sign-in.njk', {
        values: {},
        ticket: problem.ticket,
        ...formErrors([{ field: 'code', message: problem.message }]),
      });
    }
    if ('refused' in result.value)
      return reply.code(400).render('members/views/sign-in.njk', {
        values: {},
        ...formErrors([{ field: 'code', message: CODE_REFUSED[result.value.refused] }]),
      });
    reply.setCookie(cookieName, await members.openSession(result.value.member.memberId), cookieOptions);
    return reply.redirect('/members/warnings', 303);
  });

  app.post('/members/sign-out', { config: PUBLIC }, async (request, reply) => {
    await members.endSession(request.cookies[cookieName]);
    reply.clearCookie(cookieName, cookieOptions);
    return reply.redirect('/', 303);
  });

  // ---- warnings -----------------------------------------------------------------

  async function listPage(
    request: FastifyRequest,
    reply: FastifyReply,
    orgId: string,
    base: string,
    signedIn: boolean,
    print: boolean,
  ) {
    const filter = filterSchema.parse(request.query ?? {});
    const warnings = await warningsOf(services).published(orgId, {
      ...(filter.area ? { area: filter.area } : {}),
      ...(filter.type ? { type: filter.type } : {}),
    });
    const query = new URLSearchParams(Object.entries(filter).filter(([, v]) => v) as [string, string][]).toString();
    return reply.render(print ? 'members/views/print.njk' : 'members/views/warnings.njk', {
      warnings: warnings.map((w) => ({
        ...w,
        typeLabel: INCIDENT_TYPES[w.type as keyof typeof INCIDENT_TYPES] ?? w.type,
      })),
      areas: await services.organisations.areas(orgId),
      incidentTypes: INCIDENT_TYPES,
      filter,
      base,
      printHref: `${base}/print${query ? `?${query}` : ''}`,
      signedIn,
    });
  }

  app.get('/members/warnings', { config: PUBLIC }, async (request, reply) => {
    const member = await memberOf(request, reply);
    return member ? listPage(request, reply, member.orgId, '/members/warnings', true, false) : reply;
  });

  app.get('/members/warnings/print', { config: PUBLIC }, async (request, reply) => {
    const member = await memberOf(request, reply);
    return member ? listPage(request, reply, member.orgId, '/members/warnings', true, true) : reply;
  });

  /** An organisation that made its warnings public: anyone may read them, without signing in. */
  async function publicOrganisation(slug: string) {
    const organisation = await supportOrganisation(slug);
    if (!(await members.warningsPublic(organisation.id))) return undefined;
    return organisation;
  }

  app.get<{ Params: { slug: string } }>('/o/:slug/warnings', { config: PUBLIC }, async (request, reply) => {
    const organisation = await publicOrganisation(request.params.slug);
    if (!organisation) return reply.redirect('/members/sign-in', 303);
    return listPage(request, reply, organisation.id, `/o/${organisation.slug}/warnings`, false, false);
  });

  app.get<{ Params: { slug: string } }>('/o/:slug/warnings/print', { config: PUBLIC }, async (request, reply) => {
    const organisation = await publicOrganisation(request.params.slug);
    if (!organisation) return reply.redirect('/members/sign-in', 303);
    return listPage(request, reply, organisation.id, `/o/${organisation.slug}/warnings`, false, true);
  });

  // ---- check a number or vehicle --------------------------------------------------

  app.get('/members/check', { config: PUBLIC }, async (request, reply) => {
    const member = await memberOf(request, reply);
    return member ? reply.render('members/views/check.njk', { signedIn: true, values: {} }) : reply;
  });

  // A POST, not a GET: the number typed never goes into the browser's history.
  app.post('/members/check', { config: { ...PUBLIC, rateLimit: CHECK_LIMIT } }, async (request, reply) => {
    const member = await memberOf(request, reply);
    if (!member) return reply;
    const form = readCheckForm(formBody(request.body));
    const values = { value: form.value };
    if (!form.ok)
      return reply.code(400).render('members/views/check.njk', {
        signedIn: true,
        values,
        ambiguous: form.ambiguous,
        ...formErrors([{ field: form.field, message: form.message }]),
      });
    if (!(await members.allowCheck(`member:${member.memberId}`, request.ip))) {
      return reply.code(429).render('members/views/check.njk', {
        signedIn: true,
        values,
        ...formErrors([{ field: 'value', message: 'You have made a lot of checks. Wait ten minutes and try again.' }]),
      });
    }
    const matches = await warningsOf(services).check(member.orgId, form.identifier);
    return reply.render('members/views/check.njk', {
      signedIn: true,
      values,
      checked: describeIdentifier(form.identifier),
      matches,
    });
  });

  // ---- your membership: alerts, leaving ----------------------------------------------

  const accountPage = async (reply: FastifyReply, member: MemberIdentity, extra: Record<string, unknown> = {}) => {
    const profile = await members.profile(member.memberId);
    return reply.render('members/views/account.njk', {
      signedIn: true,
      profile,
      alertsEnabled: members.alertsEnabled,
      areas: await services.organisations.areas(member.orgId),
      values: { email: profile.email ?? '', areas: profile.areas },
      ...extra,
    });
  };

  app.get('/members/account', { config: PUBLIC }, async (request, reply) => {
    const member = await memberOf(request, reply);
    if (!member) return reply;
    const done = (request.query as Record<string, unknown>).done;
    return accountPage(reply, member, {
      done: ['alerts-on', 'alerts-off'].includes(String(done)) ? String(done) : undefined,
    });
  });

  app.post('/members/alerts', { config: { ...PUBLIC, rateLimit: JOIN_LIMIT } }, async (request, reply) => {
    const member = await memberOf(request, reply);
    if (!member) return reply;
    if (!members.alertsEnabled) throw NOT_FOUND();
    const values = { email: formBody(request.body).email ?? '', areas: areasIn(request.body) };
    const parsed = alertsSchema.safeParse(values);
    if (!parsed.success) return accountPage(reply.code(400), member, { values, ...zodFormErrors(parsed.error) });
    try {
      await members.setAlerts(member.memberId, parsed.data);
    } catch (error) {
      if (!(error instanceof MemberError)) throw error;
      return accountPage(reply.code(400), member, {
        values,
        ...formErrors([{ field: 'areas', message: error.message }]),
      });
    }
    return reply.redirect('/members/account?done=alerts-on', 303);
  });

  app.post('/members/alerts/stop', { config: PUBLIC }, async (request, reply) => {
    const member = await memberOf(request, reply);
    if (!member) return reply;
    await members.stopAlerts(member.memberId);
    return reply.redirect('/members/account?done=alerts-off', 303);
  });

  app.post('/members/leave', { config: PUBLIC }, async (request, reply) => {
    const member = await memberOf(request, reply);
    if (!member) return reply;
    await members.leave(member.memberId);
    reply.clearCookie(cookieName, cookieOptions);
    return reply.render('members/views/left.njk', {});
  });

  // ---- staff: codes issued on outreach, the list of members ----------------------------

  const memberList = async (request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}) => {
    const staff = staffOf(request);
    const list = await members.list({ userId: staff.userId, orgId: staff.orgId });
    return reply.render('members/views/staff-list.njk', {
      pageTitle: 'Members',
      ...list,
      joinModeSentence: JOIN_MODE_SENTENCES[await members.joinMode(staff.orgId)],
      canIssue: holds(staff, MEMBER_ISSUERS),
      canApprove: holds(staff, MEMBER_APPROVERS),
      canSuspend: holds(staff, MEMBER_SUSPENDERS),
      values: {},
      ...extra,
    });
  };

  app.get('/staff/members', { config: { access: MEMBER_LIST_READERS } }, async (request, reply) => {
    const done = String((request.query as Record<string, unknown>).done ?? '');
    return memberList(request, reply, { done: Object.hasOwn(DONE, done) ? DONE[done] : undefined });
  });

  // The person shows their code to the worker in front of them, who types it: approval follows a meeting.
  app.post(
    '/staff/members/approve',
    { config: { access: MEMBER_APPROVERS, rateLimit: CODE_LIMIT } },
    async (request, reply) => {
      const staff = staffOf(request);
      const code = (formBody(request.body).code ?? '').slice(0, 40);
      try {
        await members.approveByCode({ userId: staff.userId, orgId: staff.orgId }, code);
      } catch (error) {
        if (!(error instanceof MemberError)) throw error;
        return memberList(request, reply.code(400), { ...formErrors([{ field: 'code', message: error.message }]) });
      }
      return reply.redirect('/staff/members?done=approved', 303);
    },
  );

  const memberParams = z.object({
    id: z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/),
  });
  for (const [action, run] of [
    ['suspend', (actor: { userId: string; orgId: string }, id: string) => members.suspend(actor, id)],
    ['restore', (actor: { userId: string; orgId: string }, id: string) => members.restore(actor, id)],
  ] as const) {
    app.post<{ Params: { id: string } }>(
      `/staff/members/:id/${action}`,
      { config: { access: MEMBER_SUSPENDERS } },
      async (request, reply) => {
        const staff = staffOf(request);
        const params = memberParams.safeParse(request.params);
        // Another organisation's member is the same 404 as one that does not exist.
        if (!params.success) throw new HttpError(404, 'not_found', 'There is no such member in your organisation.');
        try {
          await run({ userId: staff.userId, orgId: staff.orgId }, params.data.id);
        } catch (error) {
          if (!(error instanceof MemberError)) throw error;
          if (error.code === 'not_found')
            throw new HttpError(404, 'not_found', 'There is no such member in your organisation.');
          throw new HttpError(409, 'conflict', error.message);
        }
        return reply.redirect(`/staff/members?done=${action === 'suspend' ? 'suspended' : 'restored'}`, 303);
      },
    );
  }

  app.get('/staff/members/new', { config: ISSUERS }, async (_request, reply) =>
    reply.render('members/views/staff-new.njk', { pageTitle: 'Give someone a member code', values: {} }),
  );

  app.post('/staff/members/new', { config: ISSUERS }, async (request, reply) => {
    const staff = staffOf(request);
    const values = formBody(request.body);
    const name = workingNameSchema.safeParse(values.name ?? '');
    if (!name.success)
      return reply.code(400).render('members/views/staff-new.njk', {
        pageTitle: 'Give someone a member code',
        values,
        ...formErrors([{ field: 'name', message: name.error.issues[0]!.message }]),
      });
    const { code } = await members.issue({ userId: staff.userId, orgId: staff.orgId }, name.data);
    // Shown once, in this response only: print it or copy it onto a card for the person.
    return reply.render('members/views/staff-code.njk', {
      pageTitle: 'Member code',
      code: formatReceiptCode(code),
      name: name.data,
    });
  });

  // ---- administrators: how people join ---------------------------------------------

  const joinSettings = (reply: FastifyReply, extra: Record<string, unknown>) =>
    reply.render('members/views/join-settings.njk', { pageTitle: 'How people become members', ...extra });

  app.get('/admin/members', { config: { access: MEMBER_SETTINGS_ADMINS } }, async (request, reply) => {
    const staff = staffOf(request);
    return joinSettings(reply, {
      values: { joinMode: await members.joinMode(staff.orgId) },
      saved: (request.query as Record<string, unknown>).saved === '1',
    });
  });

  app.post('/admin/members', { config: { access: MEMBER_SETTINGS_ADMINS } }, async (request, reply) => {
    const staff = staffOf(request);
    const joinMode = formBody(request.body).joinMode;
    const mode = JOIN_MODES.find((m) => m === joinMode);
    if (!mode)
      return joinSettings(reply.code(400), {
        values: {},
        ...formErrors([{ field: 'joinMode', message: 'Choose how people can become members' }]),
      });
    await members.setJoinMode({ userId: staff.userId, orgId: staff.orgId }, mode);
    return reply.redirect('/admin/members?saved=1', 303);
  });

  // ---- administrators: are warnings public? ----------------------------------------

  app.get('/admin/warnings-settings', { config: SUPPORT_ADMINS }, async (request, reply) => {
    const staff = staffOf(request);
    return reply.render('members/views/settings.njk', {
      pageTitle: 'Who can see warnings',
      values: { visibility: (await members.warningsPublic(staff.orgId)) ? 'public' : 'members' },
      slug: staff.orgSlug,
      saved: (request.query as Record<string, unknown>).saved === '1',
    });
  });

  app.post('/admin/warnings-settings', { config: SUPPORT_ADMINS }, async (request, reply) => {
    const staff = staffOf(request);
    const visibility = formBody(request.body).visibility;
    if (visibility !== 'public' && visibility !== 'members') {
      return reply.code(400).render('members/views/settings.njk', {
        pageTitle: 'Who can see warnings',
        values: {},
        slug: staff.orgSlug,
        ...formErrors([{ field: 'visibility', message: 'Choose who can see your published warnings' }]),
      });
    }
    await members.setWarningsPublic({ userId: staff.userId, orgId: staff.orgId }, visibility === 'public');
    return reply.redirect('/admin/warnings-settings?saved=1', 303);
  });
}
