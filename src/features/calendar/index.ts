// What other features may use of calendar: nothing else in this folder is theirs to import.
export { BankHolidayCalendar } from './bankHolidays.ts';
export type { BankHolidaySource } from './bankHolidays.ts';
export type { BankHolidayService } from './bankHolidayService.ts';
export { addCalendarDays, addWorkingDays, londonDate, londonInstant, workingDayBefore } from './workingDays.ts';
