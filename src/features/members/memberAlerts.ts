import type { Kysely } from 'kysely';
import nodemailer, { type Transporter } from 'nodemailer';
import type { AlertConfig } from '../../config.ts';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { MemberService } from './memberService.ts';
import type { PublishedWarning, WarningReader } from './warningReader.ts';
import { alertOutboxRepository as outbox } from './alertOutboxRepository.ts';

/** Give up on one email after this many failed attempts (about a day and a half of back-off). */
export const MAX_ATTEMPTS = 10;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 6 * 60 * 60_000;
const BATCH = 50;

export interface DeliveryResult {
  sent: number;
  /** Failures by outbox id and a short error code: never an address. */
  failed: { id: string; code: string }[];
  /** Rows dropped because the member stopped alerts or left, or the warning was withdrawn or expired. */
  dropped: number;
}

/**
 * Email alerts about newly published warnings, through an outbox: approving a
 * warning queues a job in its own transaction, the job adds rows (one per member
 * and warning, so running it twice adds nothing), and `deliverPending()` (a job
 * every minute) sends what is due, retrying with back-off. A mail
 * server that is down never blocks or breaks publishing. The email is discreet:
 * the configured neutral sender name and subject, and the warning text only.
 */
export class MemberAlerts {
  private transport: Transporter | undefined;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly members: MemberService,
    private readonly config: AlertConfig | undefined,
    private readonly now: () => Date,
  ) {}

  /** Where to ask which warnings are still active: a warning withdrawn or expired before its email went is not sent. */
  private warnings: WarningReader | undefined;

  readActiveWarningsFrom(reader: WarningReader): void {
    this.warnings = reader;
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  /**
   * The `member-alerts.fan-out` job, queued in the transaction that approved the
   * warning (scheduledWork.ts): writes the outbox rows for a warning that is
   * still published and active. Running it twice adds nothing.
   */
  async fanOut(warningId: string, orgId: string): Promise<number> {
    if (!this.config || !this.warnings) return 0;
    const warning = (await this.warnings.published(orgId)).find((w) => w.id === warningId);
    return warning ? this.enqueue(warning) : 0;
  }

  /** Adds one outbox row per member who wants alerts for the warning's area. */
  async enqueue(warning: PublishedWarning): Promise<number> {
    if (!this.config) return 0;
    const recipients = await this.members.alertRecipients(warning.orgId, warning.area);
    if (!recipients.length) return 0;
    const at = this.now().toISOString();
    const title = this.cipher.encrypt(warning.title, 'alert_outbox.title');
    const body = this.cipher.encrypt(warning.body, 'alert_outbox.body');
    return outbox.insertMissing(
      this.db,
      recipients.map((memberId) => ({
        id: randomId(),
        org_id: warning.orgId,
        member_id: memberId,
        warning_id: warning.id,
        title_enc: title,
        body_enc: body,
        attempts: 0,
        next_attempt_at: at,
        last_error: null,
        created_at: at,
        sent_at: null,
      })),
    );
  }

  /** Sends every due email; failures stay in the outbox for a later attempt. */
  async deliverPending(): Promise<DeliveryResult> {
    const result: DeliveryResult = { sent: 0, failed: [], dropped: 0 };
    if (!this.config) return result;
    const now = this.now();
    const due = await outbox.due(this.db, now.toISOString(), MAX_ATTEMPTS, BATCH);
    const active = new Map<string, Set<string> | undefined>();
    for (const orgId of new Set(due.map((row) => row.org_id))) {
      active.set(orgId, this.warnings ? new Set((await this.warnings.published(orgId)).map((w) => w.id)) : undefined);
    }
    for (const row of due) {
      const attempts = row.attempts + 1;
      const retryAt = new Date(
        now.getTime() + Math.min(FIRST_RETRY_MS * 2 ** (attempts - 1), LONGEST_RETRY_MS),
      ).toISOString();
      // Claim the row first, so two instances never send the same email.
      if (!(await outbox.claim(this.db, row.id, row.attempts, attempts, retryAt))) continue;
      const stillActive = active.get(row.org_id)?.has(row.warning_id) ?? true;
      const to = stillActive ? await this.members.alertAddress(row.member_id) : undefined;
      if (!to) {
        await outbox.remove(this.db, row.id);
        result.dropped += 1;
        continue;
      }
      try {
        const title = await this.cipher.decrypt(row.title_enc, 'alert_outbox.title');
        const body = await this.cipher.decrypt(row.body_enc, 'alert_outbox.body');
        await this.mailer().sendMail({
          from: { name: this.config.senderName, address: this.config.from },
          to,
          subject: this.config.subject,
          text: `${title}\n\n${body}\n`,
        });
        // Sent: the warning text is not kept in the outbox any longer than needed.
        await outbox.markSent(this.db, row.id, this.now().toISOString());
        result.sent += 1;
      } catch (error) {
        const code = errorCode(error);
        await outbox.recordError(this.db, row.id, code);
        result.failed.push({ id: row.id, code });
      }
    }
    return result;
  }

  /** What is waiting, for the operators (counts only). */
  async pending(): Promise<{ waiting: number; gaveUp: number }> {
    const rows = await outbox.unsentAttempts(this.db);
    return {
      waiting: rows.filter((r) => r.attempts < MAX_ATTEMPTS).length,
      gaveUp: rows.filter((r) => r.attempts >= MAX_ATTEMPTS).length,
    };
  }

  /** Lets queued hook calls finish writing, then closes the SMTP connection. */
  async close(): Promise<void> {
    this.transport?.close();
    this.transport = undefined;
  }

  private mailer(): Transporter {
    if (!this.config) throw new Error('Email alerts are not configured');
    this.transport ??= nodemailer.createTransport({
      url: this.config.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 20_000,
    });
    return this.transport;
  }
}

/** A short, address-free description of a send failure (nodemailer's code, e.g. ECONNECTION, EENVELOPE). */
function errorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const responseCode = (error as { responseCode?: unknown } | null)?.responseCode;
  const text = typeof code === 'string' && /^[A-Z_]{2,40}$/.test(code) ? code : 'send_failed';
  return typeof responseCode === 'number' ? `${text}:${responseCode}` : text;
}
