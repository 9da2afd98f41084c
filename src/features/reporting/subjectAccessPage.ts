import { day, dayAndTime } from './progressWords.ts';
import type { ReportData, SubjectAccessFile } from './subjectAccess.ts';

const when = (iso: string | null) => (iso ? dayAndTime(iso) : null);
const dated = <T extends { at: string }>(items: T[]) => items.map((item) => ({ ...item, on: dayAndTime(item.at) }));

function reportPage(r: ReportData) {
  return {
    ...r,
    sentOn: dayAndTime(r.sentAt),
    additions: dated(r.additions),
    choices: r.choices.map((c) => ({ ...c, on: day(c.at) })),
    messages: dated(r.messages),
    updatesFromTheCharity: dated(r.updatesFromTheCharity),
    whatHappened: dated(r.whatHappened),
    yourRequests: dated(r.yourRequests),
  };
}

/** The file as the printable page shows it: each time also in words, in UK time. */
export function printable(file: SubjectAccessFile) {
  return {
    ...file,
    madeOn: dayAndTime(file.madeAt),
    person: file.person && {
      ...file.person,
      recordMadeOn: day(file.person.recordMadeAt),
      contactPoints: file.person.contactPoints.map((p) => ({
        ...p,
        addedOn: day(p.addedAt),
        stoppedUsingOn: p.stoppedUsingAt && day(p.stoppedUsingAt),
      })),
      contactAttempts: dated(file.person.contactAttempts),
      messagesPassedOnByOutreach: file.person.messagesPassedOnByOutreach.map((m) => ({
        ...m,
        on: dayAndTime(m.at),
        closedOn: when(m.closedAt),
      })),
    },
    reports: file.reports.map(reportPage),
  };
}

/** The download's headers: a file to save, never kept by a browser or proxy, under a name that says nothing. */
export function attachmentHeaders(filename: string): Record<string, string> {
  return {
    'content-type': 'application/json; charset=utf-8',
    'content-disposition': `attachment; filename="${filename}"`,
    'cache-control': 'no-store',
  };
}
