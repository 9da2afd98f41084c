import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { formBody, formErrors, zodFormErrors } from '../../platform/http/forms.ts';
import { CONSENT_SCOPES, ConsentError } from '../consent/consentLedger.ts';

const PUBLIC = { access: { kind: 'public' } } as const;
const GENERIC = 'That code did not work. Check it and try again. After several wrong codes you must wait an hour.';
const STATUS_WORDS = {
  new: 'We have your report. A support worker will look at it soon.',
  open: 'A support worker is looking after your report.',
  waiting: 'We are waiting to hear back from you or someone else.',
  closed: 'This report is closed. You can still send us a message.',
} as const;

const messageSchema = z.object({ body: z.string().trim().min(1, 'Write a message').max(5000, 'A message must be 5,000 characters or fewer') });
const additionSchema = z.object({ text: z.string().trim().min(1, 'Write what you want to add').max(20_000, 'What you add must be 20,000 characters or fewer') });
const consentSchema = z.object({ scope: z.enum(CONSENT_SCOPES), given: z.enum(['yes', 'no']) });

/** "Check your report": the receipt code opens status, messages, additions and choices. */
export async function checkReportRoutes(app: FastifyInstance, { services }: { services: Services }) {
  const cookieName = services.cookies.checkReport;
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'strict' as const, secure: services.config.secureCookies };

  async function reportOf(request: FastifyRequest, reply: FastifyReply): Promise<string | undefined> {
    const reportId = await services.reporterSessions.resume(request.cookies[cookieName]);
    if (!reportId) reply.clearCookie(cookieName, cookieOptions).redirect('/check', 303);
    return reportId;
  }

  async function renderReport(reply: FastifyReply, reportId: string, extra: Record<string, unknown> = {}) {
    const view = await services.reports.reporterView(reportId);
    return reply.render('reporting/views/check-report.njk', { view, statusWords: STATUS_WORDS[view.status], scopes: CONSENT_SCOPES, values: {}, ...extra });
  }

  app.get('/check', { config: PUBLIC }, async (_request, reply) => reply.render('reporting/views/check-code.njk', { values: {} }));

  app.post('/check', { config: { ...PUBLIC, rateLimit: { max: 30, timeWindow: '10 minutes' } } }, async (request, reply) => {
    const code = (formBody(request.body).code ?? '').slice(0, 40);
    const reportId = await services.reports.openWithCode(code, request.ip);
    if (!reportId) return reply.code(400).render('reporting/views/check-code.njk', { ...formErrors([{ field: 'code', message: GENERIC }]) });
    reply.setCookie(cookieName, await services.reporterSessions.open(reportId), cookieOptions);
    return reply.redirect('/check/report', 303);
  });

  app.get('/check/report', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    return reportId ? renderReport(reply, reportId) : reply;
  });

  app.post('/check/messages', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const parsed = messageSchema.safeParse(formBody(request.body));
    if (!parsed.success) return renderReport(reply.code(400), reportId, { ...zodFormErrors(parsed.error), values: formBody(request.body) });
    await services.reports.addMessage(reportId, parsed.data.body, { sender: 'reporter' });
    return reply.redirect('/check/report#messages', 303);
  });

  app.post('/check/additions', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const parsed = additionSchema.safeParse(formBody(request.body));
    if (!parsed.success) return renderReport(reply.code(400), reportId, { ...zodFormErrors(parsed.error), values: formBody(request.body) });
    await services.reports.addAddition(reportId, parsed.data.text, null);
    return reply.redirect('/check/report#additions', 303);
  });

  app.post('/check/consents', { config: PUBLIC }, async (request, reply) => {
    const reportId = await reportOf(request, reply);
    if (!reportId) return reply;
    const parsed = consentSchema.safeParse(formBody(request.body));
    if (!parsed.success) return renderReport(reply.code(400), reportId, { ...formErrors([{ field: 'choices', message: 'Choose a change to make' }]) });
    try {
      await services.reports.changeConsent(reportId, parsed.data.scope, parsed.data.given === 'yes', 'online', null);
    } catch (error) {
      if (!(error instanceof ConsentError)) throw error;
      return renderReport(reply.code(400), reportId, { ...formErrors([{ field: 'choices', message: error.message }]) });
    }
    return reply.redirect('/check/report#choices', 303);
  });

  app.post('/check/end', { config: PUBLIC }, async (request, reply) => {
    await services.reporterSessions.end(request.cookies[cookieName]);
    reply.clearCookie(cookieName, cookieOptions);
    return reply.redirect('/', 303);
  });
}
