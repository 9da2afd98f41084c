import { staffOf } from '../../platform/http/access.ts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { textField } from '../../platform/validation/text.ts';
import { CASE_WORKERS } from '../../platform/http/caseAccess.ts';
import type { Services } from '../../composition.ts';
import { formBody, formErrors, zodFormErrors } from '../../platform/http/forms.ts';
import { CONSENT_SCOPES, ConsentError } from '../consent/index.ts';
import { INCIDENT_TYPES, REPORT_SOURCES } from './reportSchema.ts';
import { AREA_FILTER_PROBLEM, FILTER_NAMES, keepFilters, readInboxQuery, toInboxFilter } from '../casework/index.ts';
import { RISK_FLAGS, STATUSES, TriageError, triageSchema } from '../casework/index.ts';
import { actorOf } from '../../platform/actors/actor.ts';
import { caseReportPage } from './casePage.ts';
import type { CasePanel } from '../casework/index.ts';

const staffConsentSchema = z.object({
  consentScope: z.enum(CONSENT_SCOPES),
  consentGiven: z.enum(['yes', 'no']),
  consentVia: z.enum(['in-person', 'phone']),
});

// Least knowledge: outreach workers, analysts and administrators never read accounts of what happened.
const READERS = { access: CASE_WORKERS } as const;
const replySchema = z.object({ body: textField('A reply', 5000, 'Write a reply') });

// Anyone who meets people can fill in a report with them: outreach, caseworkers, liaison.
const ASSISTERS = {
  access: { kind: 'staff', roles: ['outreach', 'caseworker', 'liaison', 'admin'], orgKind: 'support' },
} as const;
const assistSchema = z.object({ source: z.enum(['outreach', 'phone', 'drop-in']) });

/** The support organisation's inbox of reports, each report in full, and replies to the person. */
export async function reportStaffRoutes(
  app: FastifyInstance,
  { services, casePanels = [] }: { services: Services; casePanels?: readonly CasePanel[] },
) {
  const showReport = caseReportPage(services, casePanels);
  app.get('/staff/report/new', { config: ASSISTERS }, async (_request, reply) =>
    reply.render('reporting/views/assist.njk', { pageTitle: 'Record a report with someone' }),
  );

  // Starts the same journey the public uses, recording who helped and how.
  app.post('/staff/report/new', { config: ASSISTERS }, async (request, reply) => {
    const parsed = assistSchema.safeParse(formBody(request.body));
    if (!parsed.success) {
      return reply.code(400).render('reporting/views/assist.njk', {
        pageTitle: 'Record a report with someone',
        ...formErrors([{ field: 'source', message: 'Choose where you are meeting them' }]),
      });
    }
    const staff = staffOf(request);
    const cookie = await services.reportDrafts.start(staff.orgId, parsed.data.source, staff.userId);
    reply.setCookie(services.cookies.reportDraft, cookie, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: services.config.secureCookies,
    });
    return reply.redirect('/report/safe', 303);
  });

  app.get('/staff/reports', { config: READERS }, async (request, reply) => {
    const { fields, page, problems } = readInboxQuery(request.query);
    const staff = staffOf(request);
    const areas = await services.organisations.areas(staff.orgId);
    // Only configured areas are stored in a form that can be filtered on; typed ones are encrypted.
    if (fields.area && !areas.includes(fields.area)) {
      problems.push({ field: 'area', message: AREA_FILTER_PROBLEM });
      delete fields.area;
    }
    const [{ items, hasMore }, holders] = await Promise.all([
      services.reports.inbox(staff.orgId, page, 50, toInboxFilter(fields, staff.userId)),
      services.triage.caseHolders(staff.orgId),
    ]);
    const holderNames = Object.fromEntries(holders.map((h) => [h.id, h.email]));
    // "Days since contact" for the people on this page only: one query, whatever the inbox size.
    const contact = await services.people.lastContact([
      ...new Set(items.flatMap((r) => (r.person_id ? [r.person_id] : []))),
    ]);
    // The person asked to stop or to delete (Check your report): shown at once, one query for the page.
    const requests = await services.personRequests.forReports(items.map((r) => r.id));
    return reply.code(problems.length ? 400 : 200).render('reporting/views/inbox.njk', {
      pageTitle: 'Reports',
      items: items.map((r) => ({
        ...r,
        assignee: r.assignee_id ? (holderNames[r.assignee_id] ?? 'someone no longer here') : null,
        contact: r.person_id ? (contact.get(r.person_id) ?? { lastSuccessfulAt: null, daysSinceContact: null }) : null,
        requests: requests.get(r.id) ?? {},
      })),
      page,
      hasMore,
      incidentTypes: INCIDENT_TYPES,
      riskFlags: RISK_FLAGS,
      statuses: STATUSES,
      sources: REPORT_SOURCES,
      scopes: CONSENT_SCOPES,
      holders,
      areas,
      query: {
        ...Object.fromEntries(
          FILTER_NAMES.map((n) => [
            n,
            typeof (request.query as Record<string, unknown>)?.[n] === 'string'
              ? (request.query as Record<string, string>)[n]
              : '',
          ]),
        ),
        ...fields,
      },
      filtered: Object.keys(fields).length > 0,
      keep: keepFilters(fields),
      ...(problems.length ? formErrors(problems) : {}),
    });
  });

  // Consent given or withdrawn in person or by phone, recorded by the member of staff who heard it.
  app.post('/staff/reports/:reference/consents', { config: READERS }, async (request, reply) => {
    const { report } = await showReport(request);
    const parsed = staffConsentSchema.safeParse(formBody(request.body));
    if (!parsed.success) {
      return reply.code(400).render(
        'reporting/views/staff-report.njk',
        await showReport(request, {
          ...formErrors([{ field: 'consentScope', message: 'Choose the choice, what they said and how' }]),
        }),
      );
    }
    try {
      await services.reports.changeConsent(
        report.id,
        parsed.data.consentScope,
        parsed.data.consentGiven === 'yes',
        parsed.data.consentVia,
        staffOf(request).userId,
      );
    } catch (error) {
      if (!(error instanceof ConsentError)) throw error;
      return reply
        .code(400)
        .render(
          'reporting/views/staff-report.njk',
          await showReport(request, { ...formErrors([{ field: 'consentScope', message: error.message }]) }),
        );
    }
    return reply.redirect(`/staff/reports/${report.reference}#choices`, 303);
  });

  app.post('/staff/reports/:reference/triage', { config: READERS }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = { ...formBody(body), flags: ([] as unknown[]).concat(body.flags ?? []).map(String) };
    const { report } = await showReport(request);
    const parsed = triageSchema.safeParse(values);
    const fail = async (problems: { field: string; message: string }[]) =>
      reply
        .code(400)
        .render(
          'reporting/views/staff-report.njk',
          await showReport(request, { ...formErrors(problems), triageValues: values }),
        );
    if (!parsed.success)
      return fail(parsed.error.issues.map((i) => ({ field: String(i.path[0]), message: i.message })));
    try {
      await services.triage.apply(actorOf(request), report.id, parsed.data);
    } catch (error) {
      if (!(error instanceof TriageError)) throw error;
      return fail([{ field: error.field, message: error.message }]);
    }
    return reply.redirect(`/staff/reports/${report.reference}#triage`, 303);
  });

  app.get('/staff/reports/:reference', { config: READERS }, async (request, reply) =>
    reply.render('reporting/views/staff-report.njk', await showReport(request)),
  );

  app.post('/staff/reports/:reference/messages', { config: READERS }, async (request, reply) => {
    const values = formBody(request.body);
    const parsed = replySchema.safeParse(values);
    if (!parsed.success)
      return reply
        .code(400)
        .render(
          'reporting/views/staff-report.njk',
          await showReport(request, { ...zodFormErrors(parsed.error), values }),
        );
    const { report } = await showReport(request);
    await services.reports.addMessage(report.id, parsed.data.body, {
      sender: 'support',
      userId: staffOf(request).userId,
    });
    return reply.redirect(`/staff/reports/${report.reference}#messages`, 303);
  });
}
