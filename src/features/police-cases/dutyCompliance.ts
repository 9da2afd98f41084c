import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import { londonDate } from '../calendar/index.ts';
import { dutyComplianceRepository as repo } from './dutyComplianceRepository.ts';

export interface MonthCompliance {
  /** 'YYYY-MM' of the due date. */
  month: string;
  due: number;
  metOnTime: number;
  /** metOnTime / due, 0..1. */
  rate: number;
}

/** How well a force keeps the Victims' Code deadlines. */
export class DutyCompliance {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly now: () => Date,
  ) {}

  /**
   * Victims' Code compliance per month of due date, for one force: duties met on
   * or before their due date (UK date of met_at) / duties due that month. Only
   * deadlines up to today count (a duty due later this month is not yet a miss);
   * duties recorded as not met count as due and not met.
   */
  async byMonth(forceOrgId: string): Promise<MonthCompliance[]> {
    const rows = await repo.byMonth(this.db, forceOrgId, londonDate(this.now()));
    return rows.map((r) => {
      const due = Number(r.due);
      const metOnTime = Number(r.met);
      return { month: r.month, due, metOnTime, rate: due ? metOnTime / due : 0 };
    });
  }
}
