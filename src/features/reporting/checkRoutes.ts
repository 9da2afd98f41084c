import fs from 'node:fs';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formBody, formErrors, zodFormErrors } from '../../platform/http/forms.ts';
import { textField } from '../../platform/validation/text.ts';
import { CONSENT_SCOPES, ConsentError, type ConsentScope } from '../consent/index.ts';
import { PersonRequestError } from './personRequests.ts';
import { attachmentHeaders, printable } from './subjectAccessPage.ts';
import { CHOICE_LABELS, GIVING_MEANS, POLICE_SCOPES, day } from './progressWords.ts';
import { codePageProblem } from '../throttling/index.ts';

const PUBLIC = { access: { kind: 'public' } } as const;
const BUTTON = 'Open my report';
const STATUS_WORDS = {
  new: 'We have your report. A support worker will look at it soon.',
  // Still untriaged, but someone at the charity has opened it: never say "soon" about what has happened.
  read: 'We have your report and someone at the charity has read it.',
  open: 'A support worker is looking after your report.',
  waiting: 'We are waiting to hear back from you or someone else.',
  closed: 'This report is closed. You can still send us a message.',
} as const;
const PRINT_CSS = fs.readFileSync(new URL('./views/my-report-print.css', import.meta.url), 'utf8');

const messageSchema = z.object({ body: textField('A message', 5000, 'Write a message') });
const additionSchema = z.object({ text: textField('What you add', 20_000, 'Write what you want to add') });
const consentSchema = z.object({
  scope: z.enum(CONSENT_SCOPES, { message: 'Choose a change to make' }),
  given: z.enum(['yes', 'no'], { message: 'Choose a change to make' }),
  confirm: z.literal('yes').optional(),
});
const changeSchema = z.object({ wish: textField('What would suit you', 1000) });
const appointmentParams = z.object({ id: z.string().regex(/^[A-Za-z0-9_-]{8,64}$/) });
const doneSchema = z.object({
  done: z.enum(['given', 'withdrawn', 'stop', 'delete', 'change']),
  scope: z.enum(CONSENT_SCOPES).optional(),
});

/** "Check your report": the receipt code opens what is happening, messages, additions, choices and requests. */
export async function checkReportRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const cookieName = services.cookies.checkReport;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: services.config.secureCookies,
  };

  async function reportOf(request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
    const reportId = await services.reporterSessions.resume(request.cookies[cookieName]);
    if (!reportId) reply.clearCookie(cookieName, cookieOptions).redirect('/check', 303);
    // The code still opens an erased report, to say it was erased and when: nothing else of it is shown or taken.
    const erased = reportId ? await services.reports.erasure(reportId) : null;
    if (erased) {
      await services.reporterSessions.end(request.cookies[cookieName]);
      reply.clearCookie(cookieName, cookieOptions).code(410).render('reporting/views/check-erased.njk', { erased });
      return undefined;
    }
    return reportId;
  }

  /** The success banner after a change, computed from what was recorded (a link cannot claim what did not happen). */
  async function bannerFor(
    reportId: string,
    query: unknown,
    overview: Awaited<ReturnType<typeof services.reportProgress.overview>>,
    given: boolean | undefined,
    lastFromPerson: string | undefined,
  ) {
    const parsed = doneSchema.safeParse(query);
    if (!parsed.success) return undefined;
    const { done, scope } = parsed.data;
    if (done === 'given' && scope && given)
      return {
        heading: `You agreed to “${CHOICE_LABELS[scope]}”`,
        text: GIVING_MEANS[scope] ?? 'This takes effect straight away.',
      };
    if (done === 'withdrawn' && scope && given === false) {
      const text = await services.reportProgress.withdrawalBanner(reportId, scope);
      return text ? { heading: `You took back “${CHOICE_LABELS[scope]}”`, text } : undefined;
    }
    if (done === 'stop' && overview.requests.stop)
      return {
        heading: 'You asked us to stop working on your report',
        text: overview.progress.find((e) => e.kind === 'stop-requested')?.text ?? '',
      };
    if (done === 'delete' && overview.requests.delete)
      return {
        heading: 'You asked us to delete your report',
        text: overview.progress.find((e) => e.kind === 'deletion-requested')?.text ?? '',
      };
    if (done === 'change' && lastFromPerson?.startsWith('I would like to change this appointment'))
      return {
        heading: 'You asked to change an appointment',
        text: 'Your request is in your messages below, where the charity can answer it.',
      };
    return undefined;
  }

  async function renderReport(
    request: FastifyRequest,
    reply: FastifyReply,
    reportId: string,
    extra: Record<string, unknown> = {},
  ) {
    const [view, overview] = await Promise.all([
      services.reports.reporterView(reportId),
      services.reportProgress.overview(reportId),
    ]);
    const scope = (request.query as { scope?: ConsentScope } | undefined)?.scope;
    const banner =
      reply.statusCode === 200
        ? await bannerFor(
            reportId,
            request.query,
            overview,
            scope && CONSENT_SCOPES.includes(scope) ? view.consents[scope] : undefined,
            view.messages.filter((m) => m.from === 'you').at(-1)?.body,
          )
        : undefined;
    return reply.render('reporting/views/check-report.njk', {
      view,
      overview,
      happening: overview.progress.map((e) => ({ ...e, on: day(e.at) })),
      banner,
      requestDays: {
        stop: overview.requests.stop && day(overview.requests.stop),
        delete: overview.requests.delete && day(overview.requests.delete),
      },
      statusWords:
        STATUS_WORDS[view.status === 'new' && overview.progress.some((e) => e.kind === 'read') ? 'read' : view.status],
      scopes: CONSENT_SCOPES,
      choiceLabels: CHOICE_LABELS,
      values: {},
      ...extra,
    });
  }

  // Under a guessing spike the form carries a ticket (proof of work for the browser, or a short wait).
  app.get('/check', { config: PUBLIC }, async (request, reply) =>
    reply.render('reporting/views/check-code.njk', {
      values: {},
      ticket: await services.codeGuard.ticketIfNeeded('receipt', request.ip),
    }),
  );

  app.post(
    '/check',
    { config: { ...PUBLIC, rateLimit: { max: 30, timeWindow: '10 minutes' } } },
    async (request, reply) => {
      const body = formBody(request.body);
      const code = (body.code ?? '').slice(0, 40);
      const result = await services.reports.attemptCode(
        code,
        request.ip,
        { ticket: body.ticket, pow: body.pow },
        { offerTickets: true },
      );
      if (!result.ok) {
        const problem = codePageProblem(result, BUTTON);
        return reply.code(problem.status).render('reporting/views/check-code.njk', {
          ticket: problem.ticket,
          ...formErrors([{ field: 'code', message: problem.message }]),
        });
      }
      reply.setCookie(cookieName, await services.reporterSessions.open(result.value), cookieOptions);
      return reply.redirect('/check/report', 303);
    },
  );

  app.get('/check/report', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    return reportId ? renderReport(request, reply, reportId) : reply;
  });

  app.post('/check/messages', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const parsed = messageSchema.safeParse(formBody(request.body));
    if (!parsed.success)
      return renderReport(request, reply.code(400), reportId, {
        ...zodFormErrors(parsed.error),
        values: formBody(request.body),
      });
    await services.reports.addMessage(reportId, parsed.data.body, { sender: 'reporter' });
    return reply.redirect('/check/report#messages', 303);
  });

  app.post('/check/additions', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const parsed = additionSchema.safeParse(formBody(request.body));
    if (!parsed.success)
      return renderReport(request, reply.code(400), reportId, {
        ...zodFormErrors(parsed.error),
        values: formBody(request.body),
      });
    await services.reports.addAddition(reportId, parsed.data.text, null);
    return reply.redirect('/check/report#additions', 303);
  });

  // Giving the police something asks "Are you sure?" first (a page, so it works without JavaScript).
  app.post('/check/consents', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const parsed = consentSchema.safeParse(formBody(request.body));
    if (!parsed.success)
      return renderReport(request, reply.code(400), reportId, {
        ...formErrors([{ field: 'choices', message: 'Choose a change to make' }]),
      });
    const { scope, given, confirm } = parsed.data;
    if (given === 'yes' && POLICE_SCOPES.includes(scope) && confirm !== 'yes') {
      return reply.render('reporting/views/check-confirm.njk', {
        scope,
        label: CHOICE_LABELS[scope],
        means: GIVING_MEANS[scope],
      });
    }
    try {
      await services.reports.changeConsent(reportId, scope, given === 'yes', 'online', null);
    } catch (error) {
      if (!(error instanceof ConsentError)) throw error;
      return renderReport(request, reply.code(400), reportId, {
        ...formErrors([{ field: 'choices', message: error.message }]),
      });
    }
    return reply.redirect(`/check/report?done=${given === 'yes' ? 'given' : 'withdrawn'}&scope=${scope}`, 303);
  });

  // "I want to stop" and "delete my report": a confirmation page each, then one idempotent request.
  for (const [path, kind] of [
    ['/check/stop', 'stop'],
    ['/check/delete', 'delete'],
  ] as const) {
    app.get(path, { config: PUBLIC }, async (request, reply) => {
      const reportId = await reportOf(request, reply);
      if (!reportId) return reply;
      const [overview, view] = await Promise.all([
        services.reportProgress.overview(reportId),
        services.reports.reporterView(reportId),
      ]);
      const stillAgreed = CONSENT_SCOPES.filter((s) => s !== 'support' && view.consents[s]).map(
        (s) => CHOICE_LABELS[s],
      );
      return reply.render('reporting/views/check-request.njk', {
        kind,
        path,
        stillAgreed,
        already: overview.requests[kind],
        shared: overview.police,
        sharedAnything: overview.progress.some((e) => e.kind === 'referral-sent'),
        warned: overview.warnings.length > 0,
      });
    });
    app.post(path, { config: PUBLIC }, async (request, reply) => {
      const reportId = await reportOf(request, reply);
      if (!reportId) return reply;
      await (kind === 'stop' ? services.personRequests.stop(reportId) : services.personRequests.delete(reportId));
      return reply.redirect(`/check/report?done=${kind}`, 303);
    });
  }

  app.post('/check/appointments/:id/change', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const params = appointmentParams.safeParse(request.params);
    const parsed = changeSchema.safeParse(formBody(request.body));
    const field = `wish-${params.success ? params.data.id : 'appointment'}`;
    if (!parsed.success)
      return renderReport(request, reply.code(400), reportId, {
        ...formErrors([{ field, message: parsed.error.issues[0]!.message }]),
        values: { [field]: formBody(request.body).wish ?? '' },
      });
    try {
      if (!params.success)
        throw new PersonRequestError('This appointment can no longer be changed here. Send us a message instead.');
      await services.personRequests.changeAppointment(reportId, params.data.id, parsed.data.wish);
    } catch (error) {
      if (!(error instanceof PersonRequestError)) throw error;
      return renderReport(request, reply.code(400), reportId, {
        ...formErrors([{ field: 'happening', message: error.message }]),
      });
    }
    return reply.redirect('/check/report?done=change', 303);
  });

  // Everything held about the report (subject access), to re-read, print (its own print stylesheet) or save as JSON.
  app.get('/check/my-report', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    return reply.render('reporting/views/my-report.njk', {
      file: printable(await services.subjectAccess.ownReport(reportId)),
    });
  });

  app.get('/check/my-report.json', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const file = await services.subjectAccess.ownReport(reportId);
    return reply.headers(attachmentHeaders('my-report.json')).send(JSON.stringify(file, null, 2));
  });

  app.get('/check/my-report/print.css', { config: PUBLIC }, async (_request, reply) =>
    reply.type('text/css; charset=utf-8').send(PRINT_CSS),
  );

  app.post('/check/end', { config: PUBLIC }, async (request, reply) => {
    await services.reporterSessions.end(request.cookies[cookieName]);
    reply.clearCookie(cookieName, cookieOptions);
    return reply.redirect('/', 303);
  });
}
