import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../platform/db/schema.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { randomId } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import { auditActor, type Actor } from '../../platform/actors/actor.ts';
import { PeopleError, type PeopleService } from '../people/index.ts';
import { reachMeRepository as repo } from './reachMeRepository.ts';

import {
  SIGHTINGS,
  SIGHTING_KEYS,
  reachMeInputSchema,
  sightingSchema,
  type ReachMeInput,
  type Sighting,
} from '../people/index.ts';

export { SIGHTINGS, SIGHTING_KEYS, reachMeInputSchema, sightingSchema, type ReachMeInput, type Sighting };

const OUTCOME_OF = { seen: 'message-passed', 'not-seen': 'not-seen', 'new-number': 'new-number-given' } as const;

/** What an outreach worker sees of an entry: nothing about the case, the account or contact details. */
export interface OutreachEntry {
  id: string;
  workingName: string;
  recognise: string | null;
  whereSeen: string;
  message: string;
  lastRecordedAt: string | null;
}

export interface StaffEntry extends Omit<OutreachEntry, 'workingName' | 'lastRecordedAt'> {
  addedAt: string;
  closedAt: string | null;
}

/**
 * The reach-me list: people a caseworker or the liaison officer wants to
 * contact, and the message outreach passes on. Outreach records, in one tap,
 * what happened; each record is a contact attempt on the person, and a new
 * number becomes an unconfirmed contact point for the caseworker to confirm.
 */
export class ReachMeService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly people: PeopleService,
    private readonly now: () => Date,
  ) {}

  /** `outer`: run inside the caller's transaction (a police contact request adds an entry with its task). */
  async add(actor: Actor, personId: string, input: ReachMeInput, outer?: Transaction<DB>): Promise<{ id: string }> {
    const id = randomId();
    const run = async (trx: Transaction<DB>) => {
      const person = await repo.person(trx, actor.orgId, personId);
      if (!person || person.merged_into)
        throw new PeopleError('person', 'There is no such person in your organisation');
      await repo.insert(trx, {
        id,
        org_id: actor.orgId,
        person_id: personId,
        recognise_enc: input.recognise ? this.cipher.encrypt(input.recognise, 'reach_me_entries.recognise') : null,
        where_seen_enc: this.cipher.encrypt(input.whereSeen, 'reach_me_entries.where_seen'),
        message_enc: this.cipher.encrypt(input.message, 'reach_me_entries.message'),
        added_by_kind: actor.kind,
        added_by_id: actor.id,
        added_at: this.now().toISOString(),
        closed_at: null,
        closed_by_kind: null,
        closed_by_id: null,
      });
      await this.people.event(trx, actor, personId, 'reach-me-added', { entryId: id });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'reach-me.added',
          targetKind: 'person',
          targetId: personId,
          detail: { entryId: id },
        },
        trx,
      );
    };
    await (outer ? run(outer) : this.db.transaction().execute(run));
    return { id };
  }

  /** Closes an entry (they have been reached); it leaves the outreach list but stays on the person's record. */
  async close(actor: Actor, personId: string, entryId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const entry = await repo.entry(trx, actor.orgId, entryId);
      if (!entry || entry.person_id !== personId) throw new PeopleError('entry', 'There is no such reach-me entry');
      if (entry.closed_at) return;
      await repo.update(trx, entryId, {
        closed_at: this.now().toISOString(),
        closed_by_kind: actor.kind,
        closed_by_id: actor.id,
      });
      await this.people.event(trx, actor, personId, 'reach-me-closed', { entryId });
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'reach-me.closed',
          targetKind: 'person',
          targetId: personId,
          detail: { entryId },
        },
        trx,
      );
    });
  }

  /** A person's entries, open and closed, for their record. */
  async forPerson(orgId: string, personId: string): Promise<StaffEntry[]> {
    const rows = await repo.forPerson(this.db, orgId, personId);
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        recognise: r.recognise_enc ? await this.cipher.decrypt(r.recognise_enc, 'reach_me_entries.recognise') : null,
        whereSeen: await this.cipher.decrypt(r.where_seen_enc, 'reach_me_entries.where_seen'),
        message: await this.cipher.decrypt(r.message_enc, 'reach_me_entries.message'),
        addedAt: r.added_at,
        closedAt: r.closed_at,
      })),
    );
  }

  /** The open list as outreach sees it (the view is audited). */
  async openList(actor: Actor): Promise<OutreachEntry[]> {
    const rows = await repo.open(this.db, actor.orgId);
    await this.audit.record({
      ...auditActor(actor),
      action: 'reach-me.viewed',
      targetKind: 'reach-me',
      detail: { entries: rows.length },
    });
    const last = new Map(
      (
        await repo.lastSightings(
          this.db,
          rows.map((r) => r.id),
        )
      ).map((r) => [r.reach_me_id, new Date(r.last_at as string | Date).toISOString()]),
    );
    return Promise.all(
      rows.map(async (r) => ({
        id: r.id,
        workingName: await this.cipher.decrypt(r.working_name_enc, 'people.working_name'),
        recognise: r.recognise_enc ? await this.cipher.decrypt(r.recognise_enc, 'reach_me_entries.recognise') : null,
        whereSeen: await this.cipher.decrypt(r.where_seen_enc, 'reach_me_entries.where_seen'),
        message: await this.cipher.decrypt(r.message_enc, 'reach_me_entries.message'),
        lastRecordedAt: last.get(r.id) ?? null,
      })),
    );
  }

  /**
   * Records what outreach found: a contact attempt on the person with channel
   * "outreach"; a new number becomes a contact point marked "given via
   * outreach, not yet confirmed". Undefined when the entry is not open in this
   * organisation (answer 404); a PeopleError on `number` for a number that cannot be one.
   */
  async recordSighting(
    actor: Actor,
    entryId: string,
    input: z.infer<typeof sightingSchema>,
  ): Promise<{ attemptId: string; contactPointId: string | null } | undefined> {
    const entry = await repo.entry(this.db, actor.orgId, entryId);
    if (!entry || entry.closed_at) return undefined;
    if (input.outcome === 'new-number') {
      if (!input.number) throw new PeopleError('number', 'Enter the new number, like 07700 900123');
      this.people.normaliseValue('mobile', input.number);
    }
    return this.db.transaction().execute(async (trx) => {
      let contactPointId: string | null = null;
      if (input.outcome === 'new-number' && input.number) {
        // Nobody has checked yet whether a message is safe: the safest answer until a caseworker confirms.
        ({ id: contactPointId } = await this.people.addContactPoint(
          actor,
          entry.person_id,
          { kind: 'mobile', value: input.number, safeToLeaveMessage: false, safeTimes: undefined, codeWord: undefined },
          'outreach',
          trx,
        ));
      }
      const attempt = await this.people.recordAttempt(
        actor,
        entry.person_id,
        {
          channel: 'outreach',
          outcome: OUTCOME_OF[input.outcome],
          contactPointId: contactPointId ?? undefined,
          note: undefined,
        },
        { reachMeId: entryId, trx },
      );
      await this.audit.record(
        {
          ...auditActor(actor),
          action: 'reach-me.sighting',
          targetKind: 'reach-me',
          targetId: entryId,
          detail: { outcome: input.outcome },
        },
        trx,
      );
      return { attemptId: attempt.id, contactPointId };
    });
  }
}
