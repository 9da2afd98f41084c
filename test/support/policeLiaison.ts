import { signedInStaff } from './staff.ts';
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

/**
 * The charity ("Safe Streets", slug safe-streets) and police forces in partnership with it,
 * each named from its slug ("northshire" → "Northshire Police").
 */
export async function charityWithForces<Slug extends string>(t: TestApp, forceSlugs: readonly Slug[]) {
  const support = await t.services.organisations.create(
    { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
    { kind: 'system' },
  );
  const forces = {} as Record<Slug, { id: string; slug: string }>;
  for (const slug of forceSlugs) {
    const force = await t.services.organisations.create(
      { kind: 'police', name: `${slug[0]!.toUpperCase()}${slug.slice(1)} Police`, slug },
      { kind: 'system' },
    );
    await t.services.partnerships.link(support.id, force.id, { kind: 'system' });
    forces[slug] = force;
  }
  return { support, forces };
}

/**
 * The people most police liaison tests act as, each signed in with a real
 * password and TOTP code: the charity's liaison officer; Northshire's supervisor
 * and two of its officers (the officer in the case and one who is not); and
 * Southshire's supervisor, a force that must see nothing of Northshire's cases.
 * Needs charityWithForces(t, ['northshire', 'southshire']) first.
 */
export async function policeLiaisonStaff(t: TestApp) {
  return {
    liaison: await signedInStaff(t, { role: 'liaison', orgSlug: 'safe-streets' }),
    supervisor: await signedInStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'northshire' }),
    officer: await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' }),
    otherOfficer: await signedInStaff(t, { role: 'officer', orgKind: 'police', orgSlug: 'northshire' }),
    otherForce: await signedInStaff(t, { role: 'supervisor', orgKind: 'police', orgSlug: 'southshire' }),
  };
}
