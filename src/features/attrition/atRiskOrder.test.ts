import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { addCalendarDays } from '../calendar/workingDays.ts';
import { BAIL_WINDOW_DAYS, NO_CONTACT_DAYS, NO_UPDATE_DAYS } from './atRisk.ts';
import { FLAG_WEIGHTS, type RiskFlag } from './atRiskRepository.ts';

const DAY = 86_400_000;

/** A small deterministic generator, so a failing case can be run again. */
function generator(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return { chance: (p: number) => next() < p, int: (n: number) => Math.floor(next() * n) };
}

/**
 * The at-risk list reads only part of the watch (see atRiskRows); here it is
 * compared with the plain definition, computed in JavaScript from every watch
 * row and every bail event: the flags, the weights, "score, then longest since
 * contact, then reference", every page, and the count.
 */
describe.each(testDatabases)('the at-risk list against its definition on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it.each([1, 2, 3])(
    'lists the same cases, in the same order and count, as scoring every row (seed %i)',
    async (seed) => {
      const random = generator(seed);
      const support = await t.services.organisations.create(
        { kind: 'support', name: `Random ${seed}`, slug: `random-${seed}` },
        { kind: 'system' },
      );
      const force = await t.services.organisations.create(
        { kind: 'police', name: `Force ${seed}`, slug: `force-${seed}` },
        { kind: 'system' },
      );
      const now = t.clock.now().getTime();
      const today = t.clock.now().toISOString().slice(0, 10);
      const enc = t.services.cipher.encrypt('x', 'test');
      // Whole days from now, so many rows tie on "since contact" and the reference decides; some sit exactly on a threshold.
      const daysAgo = (d: number) => new Date(now - d * DAY).toISOString();
      const reports: object[] = [];
      const watch: (Record<string, unknown> & {
        report_id: string;
        reference: string;
        contact_since: string;
        updated_since: string;
        has_person: number;
        missed_appointment: number;
        contact_points_retired: number;
        engagement: string | null;
      })[] = [];
      const referrals: (Record<string, unknown> & { id: string; report_id: string })[] = [];
      const cases: (Record<string, unknown> & { id: string; referral_id: string })[] = [];
      const events: (Record<string, unknown> & {
        case_id: string;
        occurred_at: string;
        recorded_at: string;
        bail_end_date: string | null;
      })[] = [];
      for (let i = 0; i < 400; i += 1) {
        const id = randomId();
        const reference = `R${seed}${String(i).padStart(4, '0')}`;
        const submittedDays = 30 + random.int(40);
        const hasPerson = random.chance(0.8);
        const lastContactDays = hasPerson && random.chance(0.8) ? random.int(submittedDays) : null;
        const missed = random.chance(0.05) ? 1 : 0;
        const retired = hasPerson && random.chance(0.04) ? 1 : 0;
        const engagement = random.chance(0.85) ? null : (['engaged', 'wavering', 'withdrawn'] as const)[random.int(3)]!;
        const contactSinceDays = lastContactDays ?? submittedDays;
        const updatedDays = random.chance(0.5) ? submittedDays : random.int(submittedDays);
        reports.push({
          id,
          org_id: support.id,
          reference,
          receipt_lookup: randomId(),
          receipt_verifier: 'seeded',
          idempotency_hash: null,
          source: 'online',
          recorded_by: null,
          status: 'open',
          incident_types: '["physical-assault"]',
          occurred_on: null,
          area: null,
          account_enc: enc,
          details_enc: enc,
          contact_enc: null,
          submitted_at: daysAgo(submittedDays),
          assignee_id: null,
          priority: 'normal',
          risk_flags: '[]',
        });
        watch.push({
          report_id: id,
          org_id: support.id,
          reference,
          person_id: hasPerson ? `person-${i}` : null,
          submitted_at: daysAgo(submittedDays),
          last_contact_at: lastContactDays === null ? null : daysAgo(lastContactDays),
          contact_since: daysAgo(contactSinceDays),
          updated_since: daysAgo(updatedDays),
          missed_appointment: missed,
          contact_points_retired: retired,
          engagement,
          wants_support: engagement === 'withdrawn' ? 'yes' : null,
          static_score:
            FLAG_WEIGHTS['missed-appointment'] * missed +
            FLAG_WEIGHTS['contact-points-retired'] * retired +
            (engagement === 'wavering' ? FLAG_WEIGHTS.wavering : 0),
          has_person: hasPerson ? 1 : 0,
        });
        // Some cases with the police, bailed with an end date around the window, some changed since.
        if (random.chance(0.12)) {
          const referral = randomId();
          const policeCase = randomId();
          referrals.push({
            id: referral,
            report_id: id,
            support_org_id: support.id,
            police_org_id: force.id,
            level: 'full',
            status: 'accepted',
            content_enc: enc,
            sent_by_kind: 'token',
            sent_by_id: null,
            sent_at: daysAgo(20),
            decided_by_kind: 'token',
            decided_by_id: null,
            decided_at: daysAgo(20),
            decline_reason_enc: null,
          });
          cases.push({
            id: policeCase,
            referral_id: referral,
            police_org_id: force.id,
            crime_reference: `X/${seed}/${i}`,
            officer_id: null,
            created_at: daysAgo(20),
          });
          for (let e = 0; e < 1 + random.int(3); e += 1) {
            const occurred = daysAgo(10 - e * 3 + (random.chance(0.2) ? 3 : 0));
            const type = e === 0 ? 'bailed' : 'bail-changed';
            const end = type === 'bailed' || random.chance(0.7) ? addCalendarDays(today, random.int(14) - 3) : null;
            events.push({
              id: randomId(),
              case_id: policeCase,
              type,
              occurred_at: occurred,
              occurred_on: occurred.slice(0, 10),
              bail_end_date: end,
              outcome_type: null,
              detail_enc: enc,
              actor_kind: 'token',
              actor_id: null,
              recorded_at: new Date(Date.parse(occurred) + e).toISOString(),
            });
          }
        }
      }
      const db = t.services.db;
      await db
        .insertInto('reports')
        .values(reports as never)
        .execute();
      await db
        .insertInto('attrition_watch')
        .values(watch as never)
        .execute();
      if (referrals.length) {
        await db
          .insertInto('referrals')
          .values(referrals as never)
          .execute();
        await db
          .insertInto('police_cases')
          .values(cases as never)
          .execute();
        await db
          .insertInto('case_timeline_events')
          .values(events as never)
          .execute();
      }

      // The definition: every row scored.
      const noContactSince = new Date(now - NO_CONTACT_DAYS * DAY).toISOString();
      const noUpdateSince = new Date(now - NO_UPDATE_DAYS * DAY).toISOString();
      const bailWindowEnd = addCalendarDays(today, BAIL_WINDOW_DAYS);
      const reportOfCase = new Map(cases.map((c) => [c.id, referrals.find((r) => r.id === c.referral_id)!.report_id]));
      const bailEnds = new Map<string, string>();
      for (const caseId of reportOfCase.keys()) {
        const latest = events
          .filter((e) => e.case_id === caseId && e.bail_end_date)
          .sort((a, b) => (a.occurred_at + a.recorded_at < b.occurred_at + b.recorded_at ? 1 : -1))[0];
        const end = latest?.bail_end_date;
        const report = reportOfCase.get(caseId)!;
        if (end && end >= today && end <= bailWindowEnd && end > (bailEnds.get(report) ?? ''))
          bailEnds.set(report, end);
      }
      const expected = watch
        .map((w) => {
          const flags: Record<RiskFlag, boolean> = {
            'missed-appointment': w.missed_appointment === 1,
            'contact-points-retired': w.contact_points_retired === 1,
            'bail-ending': bailEnds.has(w.report_id),
            'no-contact': w.has_person === 1 && w.contact_since <= noContactSince,
            wavering: w.engagement === 'wavering',
            'no-update': w.updated_since <= noUpdateSince,
          };
          const score = Object.entries(flags).reduce(
            (sum, [flag, on]) => sum + (on ? FLAG_WEIGHTS[flag as RiskFlag] : 0),
            0,
          );
          return {
            reference: w.reference,
            score,
            since: w.contact_since,
            flags: Object.keys(flags)
              .filter((f) => flags[f as RiskFlag])
              .sort(),
          };
        })
        .filter((r) => r.score > 0)
        .sort(
          (a, b) =>
            b.score - a.score ||
            (a.since < b.since ? -1 : a.since > b.since ? 1 : 0) ||
            (a.reference < b.reference ? -1 : 1),
        );
      expect(new Set(expected.map((e) => e.score)).size).toBeGreaterThan(3);
      expect(expected.some((e) => e.flags.includes('bail-ending'))).toBe(true);

      for (const page of [
        { limit: 100, offset: 0 },
        { limit: 7, offset: 0 },
        { limit: 7, offset: 7 },
        { limit: 13, offset: 40 },
        { limit: 50, offset: 250 },
        { limit: 100, offset: expected.length - 5 },
        { limit: 10, offset: expected.length + 10 },
      ]) {
        const listed = await t.services.atRisk.list(support.id, page);
        expect(listed.total).toBe(expected.length);
        expect(
          listed.items.map((i) => ({
            reference: i.reference,
            score: i.score,
            flags: i.flags.map((f) => f.key).sort(),
          })),
          JSON.stringify(page),
        ).toEqual(
          expected
            .slice(page.offset, page.offset + page.limit)
            .map(({ reference, score, flags }) => ({ reference, score, flags })),
        );
      }
    },
  );
});
