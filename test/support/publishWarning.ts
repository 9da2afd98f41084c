import { reportInputSchema } from '../../src/features/reporting/reportSchema.ts';
import type { TestApp } from './testApp.ts';
import { createStaff } from './staff.ts';
import type { PublishedWarning } from '../../src/features/members/warningReader.ts';

/**
 * Publishes a real warning through the warnings feature (a report whose
 * person agreed to warn others, a draft by one caseworker, approval by
 * another) and runs the alert job the approval queued, as the server's job runner would.
 */
export async function publishWarning(
  t: TestApp,
  orgSlug: string,
  warning: {
    title: string;
    body: string;
    area?: string | null;
    type?: string;
    phones?: string[];
    registrations?: string[];
  },
): Promise<PublishedWarning> {
  const organisation =
    (await t.services.organisations.findBySlug(orgSlug)) ??
    (await t.services.organisations.create(
      { kind: 'support', name: `${orgSlug} name`, slug: orgSlug },
      { kind: 'system' },
    ));
  const author = await createStaff(t, { role: 'caseworker', orgSlug });
  const approver = await createStaff(t, { role: 'caseworker', orgSlug });
  const report = await t.services.reports.submit(
    reportInputSchema.parse({
      org: orgSlug,
      account: 'He would not pay and pushed me out of the car.',
      consents: { warnOthers: true },
    }),
    { source: 'online', recordedBy: null, idempotencyKey: undefined },
  );
  const id = await t.services.warnings.draft(
    { kind: 'user', id: author.userId, orgId: organisation.id },
    {
      reports: [report.reference],
      title: warning.title,
      body: warning.body,
      type: (warning.type ?? 'robbery-or-theft') as 'robbery-or-theft',
      area: warning.area ?? null,
      phones: warning.phones ?? [],
      registrations: warning.registrations ?? [],
      handles: [],
      vehicle: '',
      description: '',
    },
  );
  const published = await t.services.warnings.approve(
    { kind: 'user', id: approver.userId, orgId: organisation.id },
    id,
  );
  // The approval queued the alert job; run it as the server's job runner would (delivery is left to the test).
  await t.services.jobRunner.runUntilIdle(['member-alerts.fan-out']);
  return published;
}
