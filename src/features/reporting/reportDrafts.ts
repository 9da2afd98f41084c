import type { Kysely } from 'kysely';
import type { DB, ReportDraftsTable } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomToken, sha256 } from '../../platform/crypto/index.ts';
import { reportDraftRepository as repo } from './reportDraftRepository.ts';

export const DRAFT_LIFETIME_MS = 2 * 60 * 60 * 1000;
/** `reached` once the report has been sent: the answers are gone, only the receipt can be shown again. */
export const SENT = 100;

/** The answers collected so far, as the pages' fields hold them. */
export type DraftAnswers = Record<string, string | string[]>;

export interface Draft {
  idHash: string;
  orgId: string;
  answers: DraftAnswers;
  reached: number;
  source: ReportDraftsTable['source'];
  recordedBy: string | null;
}

/** Reports being written, kept encrypted on the server between steps, keyed by a cookie. */
export class ReportDrafts {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly now: () => Date,
  ) {}

  /** Starts a draft and returns the cookie value that finds it. */
  async start(orgId: string, source: ReportDraftsTable['source'], recordedBy: string | null): Promise<string> {
    const cookie = randomToken();
    const now = this.now();
    await repo.insert(this.db, {
      id_hash: sha256(cookie),
      org_id: orgId,
      answers_enc: this.cipher.encrypt('{}', 'report_drafts.answers'),
      reached: 0,
      source,
      recorded_by: recordedBy,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + DRAFT_LIFETIME_MS).toISOString(),
    });
    return cookie;
  }

  async load(cookie: string | undefined): Promise<Draft | undefined> {
    if (!cookie) return undefined;
    const row = await repo.byIdHash(this.db, sha256(cookie));
    if (!row) return undefined;
    if (Date.parse(row.expires_at) <= this.now().getTime()) {
      await this.discard(row.id_hash);
      return undefined;
    }
    const answers = JSON.parse(await this.cipher.decrypt(row.answers_enc, 'report_drafts.answers')) as DraftAnswers;
    return {
      idHash: row.id_hash,
      orgId: row.org_id,
      answers,
      reached: row.reached,
      source: row.source,
      recordedBy: row.recorded_by,
    };
  }

  async save(idHash: string, answers: DraftAnswers, reached: number): Promise<void> {
    await repo.setAnswers(
      this.db,
      idHash,
      this.cipher.encrypt(JSON.stringify(answers), 'report_drafts.answers'),
      reached,
    );
  }

  async discard(idHash: string): Promise<void> {
    await repo.delete(this.db, idHash);
  }

  purgeExpired(): Promise<number> {
    return repo.deleteExpired(this.db, this.now().toISOString());
  }
}
