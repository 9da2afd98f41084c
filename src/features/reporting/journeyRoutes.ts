import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Services } from '../../composition.ts';
import { formErrors } from '../../platform/http/forms.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { ukDate } from '../../platform/validation/isoDate.ts';
import { CONSENT_SCOPES } from '../consent/index.ts';
import { answerRows } from './checkAnswers.ts';
import {
  STEPS,
  mergeStep,
  problemsIn,
  reportFrom,
  stepIndex,
  stepNeededAfterChange,
  type StepSlug,
} from './journey.ts';
import { formatReceiptCode } from '../../platform/crypto/receiptCodes.ts';
import { SENT, type Draft } from './reportDrafts.ts';
import { CONTACT_KINDS, CONTACT_STARTED, INCIDENT_TYPES, TIMES_OF_DAY, WORKING_CONTEXTS } from './reportSchema.ts';

const PUBLIC = { access: { kind: 'public' } } as const;
// Generous for a person correcting answers, tight enough to stop a flood of reports.
const SEND_LIMIT = { max: 120, timeWindow: '10 minutes' };
const CHECK = stepIndex('check');

/** How a question page was reached: `change` from "Check your answers", `help` after "not safe". */
interface PageMode {
  change: boolean;
  help: boolean;
}

/** The public report journey: one question page at a time, "Check your answers", then the receipt code. */
export async function reportJourneyRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const cookieName = services.cookies.reportDraft;
  const cookieOptions = {
    path: '/',
    httpOnly: true,
    sameSite: 'strict' as const,
    secure: services.config.secureCookies,
  };

  async function begin(reply: FastifyReply, orgId: string) {
    reply.setCookie(cookieName, await services.reportDrafts.start(orgId, 'online', null), cookieOptions);
    return reply.redirect('/report/safe', 303);
  }

  app.get('/report', { config: PUBLIC }, async (request, reply) => {
    const draft = await services.reportDrafts.load(request.cookies[cookieName]);
    if (draft && draft.reached < SENT)
      return reply.redirect(`/report/${STEPS[Math.min(draft.reached, STEPS.length - 1)]!.slug}`, 303);
    const support = (await services.organisations.list()).filter((o) => o.kind === 'support');
    if (support.length === 1) return begin(reply, support[0]!.id);
    return reply.render('reporting/views/choose-organisation.njk', { organisations: support });
  });

  app.get<{ Params: { slug: string } }>('/o/:slug/report', { config: PUBLIC }, async (request, reply) => {
    const organisation = await services.organisations.findBySlug(request.params.slug);
    if (organisation?.kind !== 'support')
      throw new HttpError(404, 'not_found', 'If you typed the web address, check it is correct.');
    return begin(reply, organisation.id);
  });

  /** The draft behind this request, or a redirect to where the person may be. */
  async function draftFor(request: FastifyRequest, reply: FastifyReply, slug: string): Promise<Draft | undefined> {
    const index = stepIndex(slug);
    if (index === -1) throw new HttpError(404, 'not_found', 'If you typed the web address, check it is correct.');
    const draft = await services.reportDrafts.load(request.cookies[cookieName]);
    if (!draft || draft.reached >= SENT) {
      reply.redirect('/report', 303);
      return undefined;
    }
    // Order is enforced here: nobody reaches consent or "check your answers" by typing a URL.
    if (index > draft.reached) {
      reply.redirect(`/report/${STEPS[draft.reached]!.slug}`, 303);
      return undefined;
    }
    return draft;
  }

  /** The organisation's own settings, only on the pages that show them. */
  async function organisationSettingsFor(slug: StepSlug, orgId: string): Promise<Record<string, unknown>> {
    if (slug === 'what-happened') return { areas: await services.organisations.areas(orgId) };
    if (slug === 'injuries')
      return { sarcInformation: (await services.organisations.findById(orgId))?.sarc_information };
    return {};
  }

  /** Change mode only once the person has reached "Check your answers"; before that the order stands. */
  function modeOf(request: FastifyRequest, draft: Draft): PageMode {
    const query = (request.query ?? {}) as Record<string, unknown>;
    return { change: query.change === '1' && draft.reached >= CHECK, help: query.help === '1' };
  }

  const today = () => ukDate(services.now());

  const render = (
    reply: FastifyReply,
    slug: StepSlug,
    draft: Draft,
    extra: Record<string, unknown> = {},
    mode: PageMode = { change: false, help: false },
  ) => {
    const query = [mode.help ? 'help=1' : '', mode.change ? 'change=1' : ''].filter(Boolean).join('&');
    return reply.render(`reporting/views/${slug}.njk`, {
      values: draft.answers,
      step: stepIndex(slug) + 1,
      steps: STEPS.length,
      back: mode.change ? '/report/check' : stepIndex(slug) > 0 ? `/report/${STEPS[stepIndex(slug) - 1]!.slug}` : '/',
      // The form posts back with the same mode, so "Continue" after the help or a change moves on.
      action: `/report/${slug}${query ? `?${query}` : ''}`,
      carryOn: mode.change ? '/report/check' : '/report/what-happened',
      incidentTypes: INCIDENT_TYPES,
      timesOfDay: TIMES_OF_DAY,
      contactStartedWays: CONTACT_STARTED,
      workingContexts: WORKING_CONTEXTS,
      contactKinds: CONTACT_KINDS,
      consentScopes: CONSENT_SCOPES,
      ...extra,
    });
  };

  const checkPage = (draft: Draft, problems = problemsIn(draft.answers, today())) => ({
    rows: answerRows(draft.answers),
    problems,
    assisted: draft.recordedBy !== null,
  });

  app.get<{ Params: { step: string } }>('/report/:step', { config: PUBLIC }, async (request, reply) => {
    const slug = request.params.step as StepSlug;
    const draft = await draftFor(request, reply, slug);
    if (!draft) return reply;
    if (slug === 'check') return render(reply, slug, draft, checkPage(draft));
    const mode = modeOf(request, draft);
    return render(
      reply,
      slug,
      draft,
      { showHelp: slug === 'safe' && mode.help, ...(await organisationSettingsFor(slug, draft.orgId)) },
      mode,
    );
  });

  app.post<{ Params: { step: string } }>(
    '/report/:step',
    { config: { ...PUBLIC, rateLimit: SEND_LIMIT } },
    async (request, reply) => {
      const slug = request.params.step as StepSlug;
      if (slug === 'check') {
        // A second "Send" (double-click, retry after a dropped connection) shows the same receipt.
        const sent = await services.reportDrafts.load(request.cookies[cookieName]);
        const again = sent?.reached === SENT ? await services.reports.resubmitted(sent.idHash) : undefined;
        if (again) return showReceipt(reply, again.reference, again.receiptCode, sent?.recordedBy != null);
      }
      const draft = await draftFor(request, reply, slug);
      if (!draft) return reply;
      if (slug === 'check') return send(reply, draft);
      const mode = modeOf(request, draft);
      const answers = mergeStep(draft.answers, slug, (request.body ?? {}) as Record<string, unknown>);
      const problems = problemsIn(answers, today(), slug);
      if (problems.length) {
        return render(
          reply.code(400),
          slug,
          { ...draft, answers },
          {
            ...formErrors(problems),
            showHelp: slug === 'safe' && mode.help,
            ...(await organisationSettingsFor(slug, draft.orgId)),
          },
          mode,
        );
      }
      const index = stepIndex(slug);
      try {
        await services.reportDrafts.save(draft.idHash, answers, Math.max(draft.reached, index + 1));
      } catch (error) {
        return technicalProblem(request, reply, error, (reference) =>
          render(reply.code(500), slug, { ...draft, answers }, problemSummary(reference), mode),
        );
      }
      // "No" shows the 999 advice once; that page's form carries help=1, so its Continue moves on.
      if (slug === 'safe' && answers.safeNow === 'no' && !mode.help) {
        return reply.redirect(`/report/safe?help=1${mode.change ? '&change=1' : ''}`, 303);
      }
      if (mode.change) {
        // Back to "Check your answers", through a later step only when the change makes it needed.
        const needed = stepNeededAfterChange(slug, draft.answers, answers, today());
        return reply.redirect(needed ? `/report/${needed}?change=1` : '/report/check', 303);
      }
      return reply.redirect(`/report/${STEPS[index + 1]!.slug}`, 303);
    },
  );

  async function send(reply: FastifyReply, draft: Draft) {
    const problems = problemsIn(draft.answers, today());
    if (problems.length) {
      // The fields are on earlier pages: each message links to its page in change mode.
      const pageOf = (field: string) =>
        STEPS.find((step) => (step.fields as readonly string[]).includes(field))?.slug ?? 'what-happened';
      const errors = problems.map((p) => ({ text: p.message, href: `/report/${pageOf(p.field)}?change=1#${p.field}` }));
      return render(reply.code(400), 'check', draft, { ...checkPage(draft, problems), errors });
    }
    // The draft's id is the idempotency key: a double-click or retry gives the same report.
    let submitted;
    try {
      submitted = await services.reports.submit(reportFrom(draft.answers), {
        source: draft.source,
        recordedBy: draft.recordedBy,
        idempotencyKey: draft.idHash,
      });
    } catch (error) {
      return technicalProblem(reply.request, reply, error, (reference) =>
        render(reply.code(500), 'check', draft, { ...checkPage(draft, []), ...problemSummary(reference) }),
      );
    }
    // Only the fact it was sent is kept in the draft, so a retried send can show the same receipt.
    await services.reportDrafts.save(draft.idHash, {}, SENT);
    return showReceipt(reply, submitted.reference, submitted.receiptCode, draft.recordedBy !== null);
  }

  /**
   * Nothing typed is lost to a server error: the page comes back with every
   * answer and a reference, and the person can simply try again.
   */
  function technicalProblem(
    request: FastifyRequest,
    reply: FastifyReply,
    error: unknown,
    rerender: (reference: string) => FastifyReply,
  ) {
    const reference = crypto.randomBytes(4).toString('hex').toUpperCase();
    request.log.error({ err: error, reference }, 'report journey failed');
    return rerender(reference);
  }

  const problemSummary = (reference: string) => ({
    errors: [
      {
        text: `Sorry, there was a technical problem and this was not saved (reference ${reference}). Your answers are still here: please try again.`,
        href: '#main-content',
      },
    ],
  });

  async function showReceipt(reply: FastifyReply, reference: string, code: string | undefined, assisted = false) {
    // Shown in this response only (no-store); it is never stored and staff cannot see or recover it.
    const receiptCode = code ? formatReceiptCode(code) : undefined;
    if (assisted) {
      // An assisted report ends where the worker started: in the staff area (its menu needs their
      // session, which public pages do not read), with the code to hand over and a slip to print.
      const principal = await services.authenticator.fromSessionCookie(reply.request, reply);
      return reply.render('reporting/views/assisted-sent.njk', {
        pageTitle: 'Report sent',
        reference,
        receiptCode,
        checkAddress: `${services.config.publicUrl}/check`,
        ...(principal.kind === 'staff' ? { principal } : {}),
      });
    }
    return reply.render('reporting/views/sent.njk', { reference, receiptCode });
  }
}
