import type { Kysely, Transaction } from 'kysely';
import type { DB, ErasedBecause } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { Actor } from '../../platform/actors/actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import { erasureRepository as repo } from './erasureRepository.ts';

/** What erasing a report came to. */
export type ErasureOutcome = 'erased' | 'already' | 'held' | 'missing';

/** A warning's perpetrator fields, empty: what a withdrawn, erased warning keeps. */
const NO_PERPETRATOR = JSON.stringify({ phones: [], registrations: [], handles: [], vehicle: '', description: '' });

/**
 * Erasure: the personal content of a report goes and an anonymous skeleton
 * stays, so counts and the audit chain stay true.
 *
 * Goes: what the person wrote (account, details with the perpetrator's
 * description, contact details, place typed in words), messages, additions,
 * internal notes, tasks, updates passed to the person, the reason typed when
 * closing, engagement notes, "Check your report" sessions, the idempotency
 * hashes of what was sent, the link to the person record (and the record
 * itself, with its contact points, attempts and reach-me entries, once no
 * report that is not erased is linked to it), and warnings resting only on
 * erased reports: a draft entirely, a published one its words and blind-index
 * rows (it is withdrawn, so it is no longer shown or matched).
 *
 * Stays: the reference, receipt code verifier (the code opens a page saying it
 * was erased), dates, incident types, configured area, source, status,
 * priority, risk flags (fixed words), the case history's kinds, dates and
 * actors, consent entries (scope, decision, method, dates), referrals with
 * their level, force and dates, and what the police hold: a referral's content
 * is the force's copy of what was shared, which the person was told stays with
 * the police (it is shown to the force only while the consent is current, as
 * before), and police cases are the force's own record.
 *
 * Columns that cannot be empty and are read elsewhere keep a ciphertext of an
 * empty value, so every reader and the re-encryption pass still find one.
 */
export class Erasure {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  /** Erases one report in a transaction of its own. `by`: the member of staff, or null for the schedule. */
  eraseReport(reportId: string, because: ErasedBecause, by: Actor | null): Promise<ErasureOutcome> {
    return this.db.transaction().execute((trx) => this.eraseReportIn(trx, reportId, because, by));
  }

  /**
   * Erases one report inside `trx`; refuses (changing nothing) while a legal
   * hold is in force. With `withPerson` (the default), the person record goes
   * too once no report that is not erased is linked to it.
   */
  async eraseReportIn(
    trx: Transaction<DB>,
    reportId: string,
    because: ErasedBecause,
    by: Actor | null,
    withPerson = true,
  ): Promise<ErasureOutcome> {
    const report = await repo.lockReport(trx, reportId);
    if (!report) return 'missing';
    if (report.erased_at) return 'already';
    const has = await repo.contentOf(trx, reportId);
    if (has.held) return 'held';
    const at = this.now().toISOString();

    if (has.messages) await repo.deleteContent(trx, 'report_messages', reportId);
    if (has.additions) await repo.deleteContent(trx, 'report_additions', reportId);
    if (has.notes) await repo.deleteContent(trx, 'case_notes', reportId);
    if (has.tasks) await repo.deleteContent(trx, 'case_tasks', reportId);
    if (has.updates) await repo.deleteContent(trx, 'person_updates', reportId);
    if (has.sessions) await repo.deleteContent(trx, 'reporter_sessions', reportId);
    for (const event of has.status_events ? await repo.statusEvents(trx, reportId) : []) {
      const detail = JSON.parse(await this.cipher.decrypt(event.detail_enc, 'case_events.detail')) as Record<
        string,
        unknown
      >;
      if (!('reason' in detail)) continue;
      const { from, to } = detail;
      await repo.setEventDetail(trx, event.id, this.cipher.encrypt(JSON.stringify({ from, to }), 'case_events.detail'));
    }
    if (has.engagement_notes) await repo.blankEngagementNotes(trx, reportId);
    if (has.released_holds) await repo.blankReleasedHolds(trx, reportId, this.cipher.encrypt('', 'legal_holds.reason'));
    if (has.warnings) await this.eraseWarnings(trx, reportId, at);
    // An erased case is closed, so no list shows it as work; the closing is part of its history.
    if (report.status !== 'closed')
      await repo.insertStatusEvent(trx, {
        id: randomId(),
        report_id: reportId,
        actor_kind: by?.kind ?? 'user',
        actor_id: by?.id ?? null,
        detail_enc: this.cipher.encrypt(JSON.stringify({ from: report.status, to: 'closed' }), 'case_events.detail'),
        at,
      });
    await repo.blankReport(trx, reportId, {
      account_enc: this.cipher.encrypt('', 'reports.account'),
      details_enc: this.cipher.encrypt('{}', 'reports.details'),
      erased_at: at,
      erased_because: because,
      status: 'closed',
    });
    // An erased report is closed, and the attrition watch keeps no row for a closed report (attrition/attritionWatch.ts):
    // the row it had goes, as syncing it would do; the report's row lock is already held.
    if (has.watched) await repo.dropFromAttritionWatch(trx, reportId);
    await this.audit.record(
      {
        actorKind: by ? (by.kind === 'user' ? 'user' : 'api-token') : 'system',
        actorId: by?.id ?? null,
        orgId: report.org_id,
        action: 'report.erased',
        targetKind: 'report',
        targetId: reportId,
        detail: { because },
      },
      trx,
    );
    if (withPerson && report.person_id && !(await repo.liveReportsOf(trx, [report.person_id])).length)
      await this.erasePersonIn(trx, report.org_id, report.person_id, by, because);
    return 'erased';
  }

  /**
   * Deletes a person record with everything in it (contact points, attempts,
   * reach-me entries, history) and the records merged into it. The caller
   * has erased (or checked there are no) reports still linked to it.
   */
  async erasePersonIn(
    trx: Transaction<DB>,
    orgId: string,
    personId: string,
    by: Actor | null,
    because: ErasedBecause,
  ): Promise<void> {
    const ids = await this.withMerged(trx, [personId]);
    await repo.deletePeople(trx, ids);
    // A request to erase the record that nobody confirmed yet has nothing left to act on.
    await repo.closeOpenPersonErasures(trx, ids, this.now().toISOString());
    await this.audit.record(
      {
        actorKind: by ? (by.kind === 'user' ? 'user' : 'api-token') : 'system',
        actorId: by?.id ?? null,
        orgId,
        action: 'person.erased',
        targetKind: 'person',
        targetId: personId,
        detail: { because, records: ids.length },
      },
      trx,
    );
  }

  /** The record and every record merged into it, however many merges deep. */
  async withMerged(db: Kysely<DB> | Transaction<DB>, ids: string[]): Promise<string[]> {
    const all = new Set(ids);
    let frontier = ids;
    while (frontier.length) {
      frontier = (await repo.mergedInto(db, frontier)).map((r) => r.id).filter((id) => !all.has(id));
      for (const id of frontier) all.add(id);
    }
    return [...all];
  }

  /** Warnings resting only on erased reports: a draft goes; a published one loses its words and lookups. */
  private async eraseWarnings(trx: Transaction<DB>, reportId: string, at: string): Promise<void> {
    const warnings = await repo.warningsOf(trx, reportId);
    await repo.unlinkWarnings(trx, reportId);
    for (const warning of warnings) {
      if (await repo.warningHasLiveReport(trx, warning.id)) continue;
      await repo.deleteWarningLookups(trx, warning.id);
      if (warning.status === 'draft') {
        await repo.deleteDraftWarning(trx, warning.id);
        continue;
      }
      await repo.blankWarning(
        trx,
        warning.id,
        {
          title_enc: this.cipher.encrypt('', 'warnings.title'),
          body_enc: this.cipher.encrypt('', 'warnings.body'),
          perpetrator_enc: this.cipher.encrypt(NO_PERPETRATOR, 'warnings.perpetrator'),
        },
        // One still shown is withdrawn; one that has ended stays as it ended.
        warning.status === 'published' && (!warning.expires_at || warning.expires_at > at) ? at : null,
      );
      for (const event of await repo.warningEvents(trx, warning.id))
        await repo.setWarningEventDetail(trx, event.id, this.cipher.encrypt('{}', 'warning_events.detail'));
    }
  }
}
