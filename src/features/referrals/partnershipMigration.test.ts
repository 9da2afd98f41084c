import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../../../test/support/databases.ts';
import { startTestApp, type TestApp } from '../../../test/support/testApp.ts';
import { down, up } from '../../platform/db/migrations/20261201_0025_partnership_acceptance.ts';

/**
 * Partnerships made before acceptance existed: an operator's (audited as made
 * by the command line) stays accepted; one a charity made for itself on its
 * admin page becomes a request the force must accept.
 */
describe.each(testDatabases)('the partnership acceptance migration on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(async () => t.close());

  it('keeps operator links accepted and turns self-made links into requests', async () => {
    const support = await t.services.organisations.create(
      { kind: 'support', name: 'Safe Streets', slug: 'safe-streets' },
      { kind: 'system' },
    );
    const byOperator = await t.services.organisations.create(
      { kind: 'police', name: 'Northshire Police', slug: 'northshire' },
      { kind: 'system' },
    );
    const bySelf = await t.services.organisations.create(
      { kind: 'police', name: 'Southshire Police', slug: 'southshire' },
      { kind: 'system' },
    );
    await down(t.services.db);
    const at = '2026-11-01T10:00:00.000Z';
    let seq = 900_000;
    for (const [police, actorKind] of [
      [byOperator.id, 'cli'],
      [bySelf.id, 'user'],
    ] as const) {
      await t.services.db
        .insertInto('partnerships')
        .values({ id: `p-${police}`, support_org_id: support.id, police_org_id: police, created_at: at } as never)
        .execute();
      seq += 1;
      await t.services.db
        .insertInto('audit_entries')
        .values({
          seq,
          at,
          actor_kind: actorKind,
          actor_id: null,
          org_id: support.id,
          action: 'partnership.added',
          target_kind: 'organisation',
          target_id: police,
          detail: '{}',
          prev_hash: 'x',
          hash: `h${seq}`,
        })
        .execute();
    }
    await up(t.services.db);
    const rows = await t.services.db.selectFrom('partnerships').select(['police_org_id', 'accepted_at']).execute();
    expect(Object.fromEntries(rows.map((r) => [r.police_org_id, r.accepted_at]))).toEqual({
      [byOperator.id]: at,
      [bySelf.id]: null,
    });
    expect((await t.services.partnerships.linkedForces(support.id)).map((f) => f.slug)).toEqual(['northshire']);
    await t.services.db.deleteFrom('audit_entries').where('seq', '>', 899_999).execute();
  });
});
