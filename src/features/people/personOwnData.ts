import type { Kysely } from 'kysely';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import type { DB } from '../../platform/db/schema.ts';
import { displayPhone } from '../identifiers/index.ts';
import { peopleRepository as repo } from './peopleRepository.ts';
import {
  CHANNELS,
  CONTACT_KINDS,
  INTERPRETER,
  OUTCOMES,
  PHONE_KINDS,
  RETIRE_REASONS,
  type Channel,
  type ContactKind,
  type Interpreter,
  type Outcome,
  type RetireReason,
} from './schemas.ts';

/**
 * What a person record holds about the person, for a subject access request:
 * the names, languages and needs they gave, their own contact details (values
 * included: they are theirs), and when and how the charity tried to reach
 * them. Not the record's notes, the notes on attempts or its history, which
 * staff wrote for themselves and review before anything of them is disclosed.
 */
export interface PersonOwnData {
  workingName: string;
  otherNames: string[];
  languages: string[];
  interpreter: string;
  recordMadeAt: string;
  contactPoints: {
    kind: string;
    value: string;
    safeToLeaveMessage: boolean;
    safeTimes: string | null;
    codeWord: string | null;
    addedAt: string;
    stoppedUsingAt: string | null;
    whyStopped: string | null;
  }[];
  contactAttempts: { at: string; how: string; outcome: string }[];
}

/** The person's own data on their record in `orgId`; undefined when there is no such record there. */
export async function personOwnData(
  db: Kysely<DB>,
  cipher: FieldCipher,
  orgId: string,
  personId: string,
): Promise<PersonOwnData | undefined> {
  const row = await repo.person(db, orgId, personId);
  if (!row) return undefined;
  const [points, attempts] = await Promise.all([repo.contactPoints(db, personId), repo.attempts(db, personId)]);
  const optional = (value: string | null, context: string) => (value ? cipher.decrypt(value, context) : null);
  const interpreter = (await cipher.decrypt(row.interpreter_enc, 'people.interpreter')) as Interpreter;
  return {
    workingName: await cipher.decrypt(row.working_name_enc, 'people.working_name'),
    otherNames: JSON.parse(await cipher.decrypt(row.other_names_enc, 'people.other_names')) as string[],
    languages: JSON.parse(await cipher.decrypt(row.languages_enc, 'people.languages')) as string[],
    interpreter: INTERPRETER[interpreter] ?? interpreter,
    recordMadeAt: row.created_at,
    contactPoints: await Promise.all(
      points.map(async (p) => ({
        kind: CONTACT_KINDS[p.kind as ContactKind] ?? p.kind,
        value: await cipher
          .decrypt(p.value_enc, 'contact_points.value')
          .then((value) => ((PHONE_KINDS as readonly string[]).includes(p.kind) ? displayPhone(value) : value)),
        safeToLeaveMessage: p.safe_message === 'yes',
        safeTimes: await optional(p.safe_times_enc, 'contact_points.safe_times'),
        codeWord: await optional(p.code_word_enc, 'contact_points.code_word'),
        addedAt: p.added_at,
        stoppedUsingAt: p.retired_at,
        whyStopped: p.retired_reason ? (RETIRE_REASONS[p.retired_reason as RetireReason] ?? p.retired_reason) : null,
      })),
    ),
    // Oldest first, as the rest of the file reads.
    contactAttempts: attempts
      .map((a) => ({
        at: a.at,
        how: CHANNELS[a.channel as Channel] ?? a.channel,
        outcome: OUTCOMES[a.outcome as Outcome] ?? a.outcome,
      }))
      .reverse(),
  };
}
