import type { Kysely } from 'kysely';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { readArea } from '../organisations/index.ts';
import { CHOICE_LABELS, day, dayAndTime } from './progressWords.ts';
import { CONTACT_KINDS, INCIDENT_TYPES, type ReportInput } from './reportSchema.ts';
import { reportProgressRepository as repo } from './reportProgressRepository.ts';

type Details = Omit<ReportInput, 'contact' | 'consents' | 'account' | 'incidentTypes' | 'occurredOn' | 'area' | 'org'>;

/**
 * The person's own report to re-read, print or save: exactly what they sent,
 * everything they added, every choice with its date, and what the charity told
 * them (replies and updates). Nothing the charity wrote for itself.
 */
export async function ownReport(db: Kysely<DB>, cipher: FieldCipher, reportId: string) {
  const report = await repo.report(db, reportId);
  const details = JSON.parse(await cipher.decrypt(report.details_enc, 'reports.details')) as Details;
  const contact = report.contact_enc
    ? (JSON.parse(await cipher.decrypt(report.contact_enc, 'reports.contact')) as NonNullable<ReportInput['contact']>)
    : undefined;
  const [additions, messages, consents, updates] = await Promise.all([
    repo.additions(db, reportId),
    repo.messages(db, reportId),
    repo.consentEntries(db, reportId),
    repo.updates(db, reportId),
  ]);
  const area = await readArea(report, cipher, 'reports');
  const p = details.perpetrator;
  const vehicle = p.vehicle
    ? [p.vehicle.colour, p.vehicle.make, p.vehicle.model, p.vehicle.registration].filter(Boolean).join(' ')
    : '';
  const looks = p.appearance ? Object.values(p.appearance).filter(Boolean).join('; ') : '';
  const rows: { key: string; value: string }[] = [
    {
      key: 'What happened',
      value: (JSON.parse(report.incident_types) as (keyof typeof INCIDENT_TYPES)[])
        .map((t) => INCIDENT_TYPES[t] ?? t)
        .join(', '),
    },
    { key: 'When', value: [report.occurred_on, details.timeOfDay].filter(Boolean).join(', ') },
    // A configured area, or the person's own words for where (kept encrypted).
    { key: 'Where', value: [area, details.placeDetails].filter(Boolean).join(' — ') },
    { key: 'How contact started', value: details.contactStarted ?? '' },
    { key: 'Working context', value: details.workingContext ?? '' },
    { key: 'Their names', value: p.names.join(', ') },
    { key: 'Their phone numbers', value: p.phones.join(', ') },
    { key: 'Their email addresses', value: p.emails.join(', ') },
    { key: 'Their usernames', value: p.handles.join(', ') },
    { key: 'Vehicle', value: vehicle },
    { key: 'What they looked like', value: looks },
    { key: 'Description', value: p.description ?? '' },
    { key: 'How many people', value: details.peopleInvolved ? String(details.peopleInvolved) : '' },
    { key: 'Injured', value: details.injured === undefined ? '' : details.injured ? 'Yes' : 'No' },
    {
      key: 'Wanted medical help',
      value: details.wantsMedicalHelp === undefined ? '' : details.wantsMedicalHelp ? 'Yes' : 'No',
    },
    { key: 'Your name', value: contact?.name ?? '' },
    {
      key: 'How to reach you',
      value: (contact?.methods ?? []).map((m) => `${CONTACT_KINDS[m.kind]}${m.value ? `: ${m.value}` : ''}`).join('; '),
    },
    { key: 'Language', value: contact?.language ?? '' },
  ].filter((r) => r.value);
  return {
    reference: report.reference,
    sentAt: report.submitted_at,
    sentOn: dayAndTime(report.submitted_at),
    account: await cipher.decrypt(report.account_enc, 'reports.account'),
    rows,
    additions: await Promise.all(
      additions.map(async (a) => ({
        at: a.added_at,
        on: dayAndTime(a.added_at),
        text: await cipher.decrypt(a.text_enc, 'report_additions.text'),
      })),
    ),
    choices: consents.map((c) => ({
      at: c.recorded_at,
      on: day(c.recorded_at),
      text: `${c.decision === 'given' ? 'Agreed' : 'Took back'}: ${CHOICE_LABELS[c.scope]}${c.recorded_by || c.recorded_by_token ? ' (recorded by the charity)' : ''}`,
    })),
    messages: await Promise.all(
      messages.map(async (m) => ({
        from: m.sender === 'reporter' ? 'You' : 'The charity',
        at: m.sent_at,
        on: dayAndTime(m.sent_at),
        body: await cipher.decrypt(m.body_enc, 'report_messages.body'),
      })),
    ),
    updates: await Promise.all(
      updates.map(async (u) => ({
        at: u.created_at,
        on: dayAndTime(u.created_at),
        text: await cipher.decrypt(u.text_enc, 'person_updates.text'),
      })),
    ),
  };
}
