import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DB } from '../../platform/db/schema.ts';
import { migrateToLatest } from '../../platform/db/migrator.ts';
import { ConsentError, ConsentLedger, stateFrom, type ConsentChange } from './consentLedger.ts';

/**
 * The consent ledger's rules on a migrated in-memory SQLite database. Foreign keys are off so a
 * ledger can be kept for a report id without the report itself: the rules never read the report.
 */
let db: Kysely<DB>;
beforeAll(async () => {
  const sqlite = new SqliteDatabase(':memory:');
  sqlite.pragma('foreign_keys = OFF');
  db = new Kysely<DB>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrateToLatest(db);
});

const AT = Date.parse('2026-07-01T12:00:00Z');
let reports = 0;
const newReport = () => `report-${(reports += 1)}`;
const ledger = (at = AT) => new ConsentLedger(db, () => new Date(at));
const change = (scope: ConsentChange['scope'], given: boolean, more: Partial<ConsentChange> = {}): ConsentChange => ({
  scope,
  given,
  method: 'online',
  recordedBy: null,
  ...more,
});
const record = (l: ConsentLedger, reportId: string, changes: ConsentChange[]) =>
  db.transaction().execute((trx) => l.record(trx, reportId, changes));
const NONE = {
  support: false,
  warnOthers: false,
  policeIntelligence: false,
  policeReport: false,
  policeContact: false,
};

describe('replaying the ledger', () => {
  it('takes each choice from its latest entry, and nothing agreed that was never given', () => {
    expect(stateFrom([])).toEqual(NONE);
    expect(
      stateFrom([
        { scope: 'policeReport', decision: 'given' },
        { scope: 'support', decision: 'given' },
        { scope: 'policeReport', decision: 'withdrawn' },
        { scope: 'warnOthers', decision: 'withdrawn' },
        { scope: 'warnOthers', decision: 'given' },
      ]),
    ).toEqual({ ...NONE, support: true, warnOthers: true });
  });

  it('knows nothing agreed for a report without entries', async () => {
    expect(await ledger().current(newReport())).toEqual(NONE);
  });
});

describe('recording choices', () => {
  it('appends each change with who recorded it and how, in the order given, and replays to the new state', async () => {
    const l = ledger();
    const id = newReport();
    const written = await record(l, id, [
      change('support', true, { method: 'phone', recordedBy: null, recordedByToken: null }),
      change('warnOthers', true, { method: 'in-person' }),
    ]);
    expect(written.map((e) => [e.scope, e.decision, e.method, e.report_id])).toEqual([
      ['support', 'given', 'phone', id],
      ['warnOthers', 'given', 'in-person', id],
    ]);
    expect(written.map((e) => e.recorded_at)).toEqual([new Date(AT).toISOString(), new Date(AT + 1).toISOString()]);
    expect(written.every((e) => e.recorded_by === null && e.recorded_by_token === null)).toBe(true);
    expect(new Set(written.map((e) => e.id)).size).toBe(2);
    expect((await l.history(id)).map((e) => e.id)).toEqual(written.map((e) => e.id));
    expect(await l.current(id)).toEqual({ ...NONE, support: true, warnOthers: true });
  });

  it('records nothing for a change to what is already current', async () => {
    const l = ledger();
    const id = newReport();
    await record(l, id, [change('support', true)]);
    expect(await record(l, id, [change('support', true), change('warnOthers', false)])).toEqual([]);
    expect(await l.history(id)).toHaveLength(1);
  });

  it('records a withdrawal, and the history keeps both entries', async () => {
    const id = newReport();
    await record(ledger(AT), id, [change('policeIntelligence', true)]);
    const [withdrawal] = await record(ledger(AT + 60_000), id, [change('policeIntelligence', false)]);
    expect(withdrawal).toMatchObject({ scope: 'policeIntelligence', decision: 'withdrawn' });
    expect((await ledger().history(id)).map((e) => e.decision)).toEqual(['given', 'withdrawn']);
    expect(await ledger().isCurrent(id, 'policeIntelligence')).toBe(false);
  });

  it('keeps the API token that recorded a change', async () => {
    const id = newReport();
    const [entry] = await record(ledger(), id, [change('support', true, { recordedByToken: 'token-1' })]);
    expect(entry!.recorded_by_token).toBe('token-1');
  });
});

describe('police contact only with the police report', () => {
  it('refuses police contact on its own, writing nothing', async () => {
    const l = ledger();
    const id = newReport();
    await expect(record(l, id, [change('policeContact', true)])).rejects.toThrow(
      new ConsentError('invalid', 'The police can only contact you if you want the report passed to them'),
    );
    await expect(record(l, id, [change('support', true), change('policeContact', true)])).rejects.toMatchObject({
      code: 'invalid',
    });
    expect(await l.history(id)).toEqual([]);
  });

  it('gives both together, the police report first, whatever order they came in', async () => {
    const l = ledger();
    const id = newReport();
    const written = await record(l, id, [change('policeContact', true), change('policeReport', true)]);
    expect(written.map((e) => e.scope)).toEqual(['policeReport', 'policeContact']);
    expect(await l.current(id)).toMatchObject({ policeReport: true, policeContact: true });
  });

  it('refuses police contact given in the same change that withdraws the police report, writing nothing', async () => {
    const l = ledger();
    const id = newReport();
    await record(l, id, [change('policeReport', true)]);
    await expect(record(l, id, [change('policeReport', false), change('policeContact', true)])).rejects.toMatchObject({
      code: 'invalid',
    });
    expect(await l.current(id)).toMatchObject({ policeReport: true, policeContact: false });
    expect((await l.history(id)).map((e) => e.scope)).toEqual(['policeReport']);
  });

  it('gives police contact later while the police report is agreed', async () => {
    const l = ledger();
    const id = newReport();
    await record(l, id, [change('policeReport', true)]);
    expect((await record(l, id, [change('policeContact', true)])).map((e) => e.scope)).toEqual(['policeContact']);
  });

  it('withdraws police contact with the police report, recorded by whoever withdrew the report', async () => {
    const l = ledger();
    const id = newReport();
    await record(l, id, [change('policeReport', true), change('policeContact', true)]);
    const written = await record(ledger(AT + 60_000), id, [
      change('policeReport', false, { method: 'phone', recordedBy: null, recordedByToken: 'token-2' }),
    ]);
    expect(written.map((e) => [e.scope, e.decision, e.method, e.recorded_by_token])).toEqual([
      ['policeReport', 'withdrawn', 'phone', 'token-2'],
      ['policeContact', 'withdrawn', 'phone', 'token-2'],
    ]);
    expect(await l.current(id)).toMatchObject({ policeReport: false, policeContact: false });
  });

  it('leaves police contact alone when something else changes', async () => {
    const id = newReport();
    await record(ledger(AT), id, [change('policeReport', true), change('policeContact', true)]);
    const written = await record(ledger(AT + 60_000), id, [change('support', true)]);
    expect(written.map((e) => e.scope)).toEqual(['support']);
    expect(await ledger().current(id)).toMatchObject({ policeReport: true, policeContact: true, support: true });
  });

  it('applies withdrawals before what is given, so entries read in the order they took effect', async () => {
    const l = ledger();
    const id = newReport();
    await record(l, id, [change('support', true)]);
    const written = await record(l, id, [change('warnOthers', true), change('support', false)]);
    expect(written.map((e) => `${e.scope}:${e.decision}`)).toEqual(['support:withdrawn', 'warnOthers:given']);
  });
});

describe('the check every share makes', () => {
  it('passes while the consent is current and refuses once it is withdrawn, naming the scope', async () => {
    const id = newReport();
    await record(ledger(), id, [change('policeIntelligence', true)]);
    await expect(ledger().requireCurrent(id, 'policeIntelligence')).resolves.toBeUndefined();
    await expect(ledger().requireCurrent(id, 'policeReport')).rejects.toThrow(
      new ConsentError('not_consented', 'The person has not agreed to policeReport (or has withdrawn it)'),
    );
    await record(ledger(AT + 1000), id, [change('policeIntelligence', false)]);
    await expect(ledger().requireCurrent(id, 'policeIntelligence')).rejects.toMatchObject({ code: 'not_consented' });
    expect(await ledger().isCurrent(id, 'policeIntelligence')).toBe(false);
  });
});
