import type { Kysely, Transaction } from 'kysely';
import type { ConsentEntriesTable, DB } from '../../platform/db/schema.ts';
import { randomId } from '../../platform/crypto/index.ts';
import { consentRepository as repo } from './consentRepository.ts';

export const CONSENT_SCOPES = ['support', 'warnOthers', 'policeIntelligence', 'policeReport', 'policeContact'] as const;
export type ConsentScope = (typeof CONSENT_SCOPES)[number];
export type ConsentState = Record<ConsentScope, boolean>;
export type ConsentMethod = ConsentEntriesTable['method'];

export interface ConsentChange {
  scope: ConsentScope;
  given: boolean;
  method: ConsentMethod;
  /** The member of staff who recorded it; null when the person did it themselves. */
  recordedBy: string | null;
  /** The API token that recorded it, when it came through the API (recordedBy is then null). */
  recordedByToken?: string | null;
}

export class ConsentError extends Error {
  constructor(
    readonly code: 'not_consented' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

type Executor = Kysely<DB> | Transaction<DB>;

const NONE: ConsentState = {
  support: false,
  warnOthers: false,
  policeIntelligence: false,
  policeReport: false,
  policeContact: false,
};

/** Replays the ledger: each choice is what its latest entry says. */
export function stateFrom(entries: Pick<ConsentEntriesTable, 'scope' | 'decision'>[]): ConsentState {
  const state = { ...NONE };
  for (const entry of entries) state[entry.scope] = entry.decision === 'given';
  return state;
}

/**
 * The consent ledger: every choice a person makes about their report is an
 * append-only entry; nothing is ever updated or deleted. Every share of
 * anything, by any feature, must call `requireCurrent` at the moment it shares.
 */
export class ConsentLedger {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date,
  ) {}

  history(reportId: string, db: Executor = this.db) {
    return repo.entries(db, reportId);
  }

  async current(reportId: string, db: Executor = this.db): Promise<ConsentState> {
    return stateFrom(await this.history(reportId, db));
  }

  /**
   * Records changes inside the caller's transaction; a change to what is
   * already current is not recorded again. Police may only contact someone
   * who wants the report passed to them, so withdrawing `policeReport` also
   * withdraws `policeContact`, and `policeContact` cannot be given without it.
   * Returns the entries written.
   */
  async record(trx: Transaction<DB>, reportId: string, changes: ConsentChange[]): Promise<ConsentEntriesTable[]> {
    const state = await this.current(reportId, trx);
    const written: ConsentEntriesTable[] = [];
    const at = this.now();
    const apply = async (change: ConsentChange) => {
      if (state[change.scope] === change.given) return;
      const entry: ConsentEntriesTable = {
        id: randomId(),
        report_id: reportId,
        scope: change.scope,
        decision: change.given ? 'given' : 'withdrawn',
        method: change.method,
        recorded_by: change.recordedBy,
        recorded_by_token: change.recordedByToken ?? null,
        // Entries written together keep their order.
        recorded_at: new Date(at.getTime() + written.length).toISOString(),
      };
      await repo.insert(trx, entry);
      state[change.scope] = change.given;
      written.push(entry);
    };
    // Withdrawals first, so "police report off, police contact on" is refused rather than half-applied.
    const ordered = [...changes].sort((a, b) => Number(a.given) - Number(b.given));
    // Judged on the police report choice as it will be once this set is applied, not as it is now.
    const policeReportAfter =
      [...changes].reverse().find((c) => c.scope === 'policeReport')?.given ?? state.policeReport;
    if (changes.some((c) => c.scope === 'policeContact' && c.given) && !policeReportAfter)
      throw new ConsentError('invalid', 'The police can only contact you if you want the report passed to them');
    for (const change of ordered.filter((c) => c.scope !== 'policeContact' || !c.given)) await apply(change);
    if (!state.policeReport && state.policeContact)
      await apply({
        scope: 'policeContact',
        given: false,
        method: changes[0]!.method,
        recordedBy: changes[0]!.recordedBy,
        recordedByToken: changes[0]!.recordedByToken ?? null,
      });
    for (const change of ordered.filter((c) => c.scope === 'policeContact' && c.given)) await apply(change);
    return written;
  }

  /** True when the person's consent for this scope is current right now. */
  async isCurrent(reportId: string, scope: ConsentScope): Promise<boolean> {
    return (await this.current(reportId))[scope];
  }

  /** The one check every share must make at the moment of sharing. */
  async requireCurrent(reportId: string, scope: ConsentScope): Promise<void> {
    if (!(await this.isCurrent(reportId, scope))) {
      throw new ConsentError('not_consented', `The person has not agreed to ${scope} (or has withdrawn it)`);
    }
  }
}
