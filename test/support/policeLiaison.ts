import type { TestApp } from './testApp.ts';

/**
 * A report to a support organisation by someone who agreed to everything the
 * police may be given (intelligence, a full report, contact), ready to refer:
 * the starting point of the police liaison tests.
 */
export async function consentedReport(t: TestApp, orgSlug: string, account = 'Punched outside the station') {
  return t.services.reports.submit(
    {
      org: orgSlug,
      incidentTypes: ['physical-assault'],
      account,
      occurredOn: '2026-11-02',
      area: 'Station Road',
      consents: { support: true, warnOthers: false, policeIntelligence: true, policeReport: true, policeContact: true },
      perpetrator: { names: ['Big Steve'], phones: [], emails: [], handles: [] },
      contact: { name: 'Ruby', methods: [{ kind: 'text', value: '07700900456', safeToLeaveMessage: false }] },
    },
    { source: 'online', recordedBy: null, idempotencyKey: undefined },
  );
}
