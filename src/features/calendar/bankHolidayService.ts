import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import { isoDate } from '../../platform/validation/isoDate.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import type { AuditTrail } from '../audit/index.ts';
import { BankHolidayCalendar, type BankHolidaySource } from './bankHolidays.ts';
import { bankHolidayRepository as repo } from './bankHolidayRepository.ts';
import { londonDate } from './workingDays.ts';

export class CalendarError extends Error {
  constructor(
    readonly code: 'not-found' | 'invalid',
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

const holidayInput = z.object({
  date: isoDate('Enter a real date as YYYY-MM-DD, like 2026-11-27'),
  title: z.string().trim().min(1, 'Enter the name of the holiday').max(100, 'The name must be 100 characters or fewer'),
});

/**
 * The bank holidays every deadline counts with: one table for every
 * organisation, read as a `BankHolidayCalendar`; support administrators add
 * one-off days and remove days, each change audited.
 */
export class BankHolidayService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly audit: AuditTrail,
    private readonly now: () => Date,
  ) {}

  /** Today's date in the UK. */
  today(): string {
    return londonDate(this.now());
  }

  /** The bank holiday calendar of any year: published lists, the standing rules past them, administrators' days on top. */
  async calendar(trx: Kysely<DB> | Transaction<DB> = this.db): Promise<BankHolidayCalendar> {
    return new BankHolidayCalendar(await repo.all(trx));
  }

  /** The bank holidays of the years `from`–`to`, and which of those years have no published list (their days come from the standing rules). */
  async list(
    from: number,
    to: number,
  ): Promise<{ holidays: { date: string; title: string; source: BankHolidaySource }[]; rulesOnlyYears: number[] }> {
    const calendar = await this.calendar();
    const rulesOnlyYears: number[] = [];
    for (let y = from; y <= to; y++) if (!calendar.hasPublishedList(y)) rulesOnlyYears.push(y);
    return { holidays: calendar.between(from, to), rulesOnlyYears };
  }

  /** A one-off day (or one an administrator had removed). A day that is already a holiday, published or by the rules, is refused. */
  async add(actor: Actor, input: { date: string; title: string }): Promise<void> {
    const parsed = holidayInput.safeParse(input);
    if (!parsed.success)
      throw new CalendarError(
        'invalid',
        String(parsed.error.issues[0]?.path[0] ?? 'date'),
        parsed.error.issues[0]?.message ?? 'Invalid',
      );
    await this.db.transaction().execute(async (trx) => {
      if ((await this.calendar(trx)).has(parsed.data.date))
        throw new CalendarError('invalid', 'date', 'That date is already a bank holiday');
      await repo.deleteCancelled(trx, parsed.data.date);
      await repo.insert(trx, {
        date: parsed.data.date,
        title: parsed.data.title,
        source: 'admin',
        added_by_kind: actor.kind,
        added_by_id: actor.id,
        added_at: this.now().toISOString(),
      });
      await this.audit.record(
        { ...auditActor(actor), action: 'bank-holiday.added', targetKind: 'bank_holiday', targetId: parsed.data.date },
        trx,
      );
    });
  }

  /**
   * Removes a bank holiday. A one-off day is deleted; a published or computed
   * day is kept as 'cancelled', so neither the list nor the rules bring it back.
   */
  async remove(actor: Actor, date: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const holiday = (await this.calendar(trx)).lookup(date);
      if (!holiday) throw new CalendarError('not-found', 'date', 'That date is not a bank holiday');
      if (holiday.source === 'admin') await repo.delete(trx, date);
      else if (holiday.source === 'bundled')
        await repo.cancel(trx, date, { kind: actor.kind, id: actor.id, at: this.now().toISOString() });
      else
        await repo.insert(trx, {
          date,
          title: holiday.title,
          source: 'cancelled',
          added_by_kind: actor.kind,
          added_by_id: actor.id,
          added_at: this.now().toISOString(),
        });
      await this.audit.record(
        { ...auditActor(actor), action: 'bank-holiday.removed', targetKind: 'bank_holiday', targetId: date },
        trx,
      );
    });
  }
}
