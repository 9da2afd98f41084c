import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Services } from '../../composition.ts';
import { staffOf } from '../../platform/http/access.ts';
import { HttpError } from '../../platform/http/errors.ts';
import { CONSENT_SCOPES } from '../consent/index.ts';
import { PRIORITIES, RISK_FLAGS, STATUSES, type CasePage, type CasePanel } from '../casework/index.ts';
import { INCIDENT_TYPES } from './reportSchema.ts';

const referenceSchema = z.object({ reference: z.string().regex(/^R-[A-Z2-9]{4}-[A-Z2-9]{4}$/) });

/**
 * The staff case page's context: the report (looked up within the caller's
 * organisation, else 404) with its triage, history, tasks, person, referrals
 * and requests, and the sections `panels` add. Casework's note and task forms
 * re-render it with their errors. An erased report is shown as what is left of
 * it, and nothing more may be posted to it.
 */
export function caseReportPage(services: Services, panels: readonly CasePanel[] = []): CasePage {
  return async (request: FastifyRequest, extra: Record<string, unknown> = {}) => {
    const params = referenceSchema.safeParse(request.params);
    const report = params.success
      ? await services.reports.staffView(staffOf(request), params.data.reference)
      : undefined;
    if (!report) throw new HttpError(404, 'not_found', 'There is no report with that reference in your organisation.');
    if (report.erased && request.method !== 'GET')
      throw new HttpError(
        409,
        'erased',
        `This report was erased (${report.erased.sentence}): nothing more can be recorded on it.`,
      );
    const staff = staffOf(request);
    const sections = await Promise.all(panels.map((panel) => panel(request, report)));
    return {
      pageTitle: `Report ${report.reference}`,
      report,
      incidentTypes: INCIDENT_TYPES,
      scopes: CONSENT_SCOPES,
      values: {},
      statuses: STATUSES,
      priorities: PRIORITIES,
      riskFlags: RISK_FLAGS,
      holders: await services.triage.caseHolders(staff.orgId),
      timeline: await services.caseWork.timeline(report.id),
      tasks: await services.caseWork.tasks(report.id),
      person: await services.people.forReport(staff.orgId, report.id),
      referrals: await services.referrals.casePanel(staff.orgId, report.id),
      personRequests: (await services.personRequests.forReports([report.id])).get(report.id) ?? {},
      triageValues: {
        status: report.status,
        priority: report.priority,
        flags: report.riskFlags,
        assignee: report.assigneeId ?? '',
        reason: '',
      },
      ...Object.assign({}, ...sections),
      ...extra,
    };
  };
}
