import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabases } from '../support/databases.ts';
import { LiaisonHarness } from './liaisonHarness.ts';

describe.each(testDatabases)('liaison derived rebuild on %s', (kind) => {
  let h: LiaisonHarness;

  beforeAll(async () => {
    h = await LiaisonHarness.start(kind);
    expect(
      (await h.inProcess('org', 'create', '--kind', 'support', '--name', 'Safe Streets', '--slug', 'safe-streets'))
        .code,
    ).toBe(0);
  });
  afterAll(async () => h.close());

  it('refills the at-risk watch and the report tags from the data after a change no service saw, and is audited', async () => {
    await h.withApp((_app, services) =>
      services.reports.submit(
        {
          org: 'safe-streets',
          incidentTypes: ['physical-assault'],
          account: 'He followed me home from the arches',
          consents: {
            support: true,
            warnOthers: false,
            policeIntelligence: false,
            policeReport: false,
            policeContact: false,
          },
          perpetrator: { names: [], phones: [], emails: [], handles: [] },
        },
        { source: 'online', recordedBy: null, idempotencyKey: undefined },
      ),
    );
    const db = h.database.db;
    const snapshot = async () => ({
      watch: await db.selectFrom('attrition_watch').selectAll().execute(),
      tags: await db.selectFrom('report_tags').select(['report_id', 'tag']).orderBy('tag').execute(),
    });
    const before = await snapshot();
    expect(before.watch).toHaveLength(1);
    expect(before.tags.map((t) => t.tag)).toEqual(['consent:support', 'type:physical-assault']);

    // As after a partial restore: the derived rows are gone, and the report's type was corrected by hand.
    await db.deleteFrom('attrition_watch').execute();
    await db.deleteFrom('report_tags').execute();
    await db
      .updateTable('reports')
      .set({ incident_types: JSON.stringify(['sexual-assault']) })
      .execute();

    const res = await h.spawn('derived', 'rebuild');
    expect(res).toMatchObject({
      code: 0,
      stderr: '',
      stdout: 'Rebuilt from the data: attrition_watch, report_tags, area_text\n',
    });
    const after = await snapshot();
    expect(after.watch).toEqual(before.watch);
    expect(after.tags.map((t) => t.tag)).toEqual(['consent:support', 'type:sexual-assault']);
    expect(
      await db
        .selectFrom('audit_entries')
        .select(['actor_kind', 'detail'])
        .where('action', '=', 'derived.rebuilt')
        .execute(),
    ).toEqual([{ actor_kind: 'cli', detail: JSON.stringify({ tables: 'attrition_watch,report_tags,area_text' }) }]);

    const extra = await h.inProcess('derived', 'rebuild', '--now');
    expect(extra.code).toBe(2);
    expect(await snapshot()).toEqual(after);
  });
});
