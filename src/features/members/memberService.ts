import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB, MemberJoinMode } from '../../platform/db/schema.ts';
import { textField } from '../../platform/validation/text.ts';
import type { FieldCipher } from '../../platform/crypto/fieldCipher.ts';
import { codeHash, randomId, randomToken, sha256, slowVerify } from '../../platform/crypto/index.ts';
import type { AuditTrail } from '../audit/index.ts';
import type { OrganisationService } from '../organisations/index.ts';
import { newReceiptCode, normaliseReceiptCode, receiptLookup } from '../../platform/crypto/receiptCodes.ts';
import type { CodeAttempt, CodeGuard, TicketAnswer } from '../throttling/index.ts';
import type { Throttle, ThrottlePolicy } from '../throttling/index.ts';
import { memberRepository } from './memberRepository.ts';

/** A member session ends after 30 idle minutes: a shared phone may be picked up by someone else. */
export const MEMBER_IDLE_MS = 30 * 60 * 1000;
const STAFF_LIST_LIMIT = 500;
/** Number checks: 60 in ten minutes per member or token (300 per address), then a ten-minute pause. */
export const CHECK_POLICY: ThrottlePolicy = { maxFailures: 60, windowMs: 10 * 60_000, lockMs: 10 * 60_000 };
export const CHECK_ADDRESS_POLICY: ThrottlePolicy = { maxFailures: 300, windowMs: 10 * 60_000, lockMs: 10 * 60_000 };

export const workingNameSchema = textField('A name', 60, 'Enter a name we can call you');
const emailSchema = z
  .string()
  .trim()
  .max(254, 'An email address must be 254 characters or fewer')
  .pipe(z.email({ message: 'Enter an email address like name@example.com' }));

export const alertsSchema = z.object({
  email: emailSchema,
  areas: z
    .array(textField('An area', 120), { message: 'Choose areas from the list' })
    .max(100, 'Choose no more than 100 areas'),
});

export const JOIN_MODES = ['open', 'approval', 'staff'] as const satisfies readonly MemberJoinMode[];
export type { MemberJoinMode };

/** A member's standing: their code works ('active'), waits for staff approval, or has been suspended. */
export type MemberState = 'active' | 'waiting' | 'suspended';
const stateOf = (row: { approved_at: string | null; suspended_at: string | null }): MemberState =>
  row.suspended_at ? 'suspended' : row.approved_at ? 'active' : 'waiting';

/** Why a code did not open a membership: wrong (or unknown), waiting for approval, or suspended. */
export type CodeRefusal = 'wrong' | 'waiting' | 'suspended';
/** A right member code: the member, or why it does not sign in yet (waiting for approval, or suspended). */
export type MemberSignIn = { member: MemberIdentity } | { refused: Exclude<CodeRefusal, 'wrong'> };

export class MemberError extends Error {
  constructor(
    readonly code:
      | 'not_found'
      | 'invalid_area'
      | 'alerts_off'
      | 'closed'
      | 'wrong_code'
      | 'not_waiting'
      | 'not_suspended'
      | 'suspended',
    message: string,
  ) {
    super(message);
  }
}

export interface MemberIdentity {
  memberId: string;
  orgId: string;
}

export interface MemberProfile extends MemberIdentity {
  name: string;
  email: string | undefined;
  /** Chosen areas; empty means every area. */
  areas: string[];
  alerts: boolean;
}

export interface StaffActor {
  userId: string;
  orgId: string;
}

/**
 * Members of a support organisation: people who read its warnings. A member
 * holds a 16-digit code made and checked by the same rules as receipt codes
 * (reporting/receiptCodes.ts) under its own server key; only a keyed lookup
 * hash and an argon2id verifier are stored, so the code is shown once.
 */
export class MemberService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly cipher: FieldCipher,
    private readonly audit: AuditTrail,
    private readonly organisations: OrganisationService,
    private readonly throttle: Throttle,
    private readonly codes: CodeGuard,
    private readonly codeKey: Buffer,
    /** Whether email alerts can be sent at all (SMTP configured). */
    readonly alertsEnabled: boolean,
    private readonly now: () => Date,
  ) {}

  /**
   * A person joins on the public site; returns the code to show once, and
   * whether it waits for staff approval. Refused when the organisation only
   * issues codes on outreach.
   */
  async join(
    orgId: string,
    input: { name: string; email?: string; areas?: string[] },
  ): Promise<{ memberId: string; code: string; waiting: boolean }> {
    const mode = await this.joinMode(orgId);
    if (mode === 'staff') throw new MemberError('closed', 'Member codes are only given by outreach workers');
    const name = workingNameSchema.parse(input.name);
    const alerts =
      input.email && this.alertsEnabled ? await this.alertColumns(orgId, input.email, input.areas ?? []) : undefined;
    const waiting = mode === 'approval';
    const { memberId, code } = await this.create(
      orgId,
      name,
      'self',
      null,
      alerts,
      waiting ? null : this.now().toISOString(),
    );
    await this.audit.record({
      actorKind: 'public',
      orgId,
      action: 'member.joined',
      targetKind: 'member',
      targetId: memberId,
      detail: { alerts: !!alerts, waiting },
    });
    return { memberId, code, waiting };
  }

  /** Staff issue a code to someone met on outreach (working name only). */
  async issue(actor: StaffActor, name: string): Promise<{ memberId: string; code: string }> {
    const clean = workingNameSchema.parse(name);
    // Met in person: the code works at once, whatever the joining rule.
    const { memberId, code } = await this.create(
      actor.orgId,
      clean,
      'outreach',
      actor.userId,
      undefined,
      this.now().toISOString(),
    );
    await this.audit.record({
      actorKind: 'user',
      actorId: actor.userId,
      orgId: actor.orgId,
      action: 'member.issued',
      targetKind: 'member',
      targetId: memberId,
    });
    return { memberId, code };
  }

  private async create(
    orgId: string,
    name: string,
    source: 'self' | 'outreach',
    issuedBy: string | null,
    alerts: Awaited<ReturnType<MemberService['alertColumns']>> | undefined,
    approvedAt: string | null,
  ) {
    const code = newReceiptCode();
    const memberId = randomId();
    await memberRepository.insert(this.db, {
      id: memberId,
      org_id: orgId,
      name_enc: this.cipher.encrypt(name, 'members.name'),
      email_enc: alerts?.email_enc ?? null,
      email_index: alerts?.email_index ?? null,
      alert_areas_enc: alerts?.alert_areas_enc ?? null,
      alerts_from: alerts?.alerts_from ?? null,
      code_lookup: receiptLookup(code, this.codeKey),
      code_verifier: await codeHash(code),
      source,
      issued_by: issuedBy,
      joined_at: this.now().toISOString(),
      approved_at: approvedAt,
      approved_by: approvedAt ? issuedBy : null,
    });
    return { memberId, code };
  }

  private async alertColumns(orgId: string, rawEmail: string, rawAreas: string[]) {
    const { email, areas } = alertsSchema.parse({ email: rawEmail, areas: rawAreas });
    const known = await this.organisations.areas(orgId);
    const chosen = [...new Set(areas.map((a) => a.trim()).filter(Boolean))];
    const unknown = chosen.find((a) => !known.includes(a));
    if (unknown !== undefined) throw new MemberError('invalid_area', 'Choose areas from the list');
    return {
      email_enc: this.cipher.encrypt(email, 'members.email'),
      email_index: this.cipher.blindIndex(email.toLowerCase(), 'members.email'),
      alert_areas_enc: this.cipher.encrypt(JSON.stringify(chosen), 'members.alert_areas'),
      alerts_from: this.now().toISOString(),
    };
  }

  /**
   * The member a code opens, or why it does not. Codes go through `CodeGuard` (sign-in/codeGuard.ts),
   * exactly like receipt codes on counters of their own: only wrong codes count, since a code
   * waiting for approval or suspended is the right code. Without a ticket (`answer`), an attempt
   * is refused while a guessing spike asks for one.
   */
  signInWithCode(
    rawCode: string,
    address: string,
    answer: TicketAnswer = {},
    options = { offerTickets: false },
  ): Promise<CodeAttempt<MemberSignIn>> {
    return this.codes.attempt('member', address, answer, options, async () => {
      const row = await this.rowForCode(rawCode);
      if (!row) return undefined;
      const state = stateOf(row);
      if (state !== 'active') return { refused: state };
      const now = this.now();
      await memberRepository.markActive(
        this.db,
        row.id,
        now.toISOString(),
        new Date(now.getTime() - 86_400_000).toISOString(),
      );
      return { member: { memberId: row.id, orgId: row.org_id } };
    });
  }

  /** The member a code opens (the member API), or undefined: wrong, waiting and suspended codes alike. */
  async openWithCode(rawCode: string, address: string): Promise<MemberIdentity | undefined> {
    const result = await this.signInWithCode(rawCode, address);
    return result.ok && 'member' in result.value ? result.value.member : undefined;
  }

  private async rowForCode(rawCode: string) {
    const code = normaliseReceiptCode(rawCode);
    const row = code ? await memberRepository.byLookup(this.db, receiptLookup(code, this.codeKey)) : undefined;
    return row && code && (await slowVerify(row.code_verifier, code)) ? row : undefined;
  }

  /** A member session: the cookie holds a random id, the database only its hash. */
  async openSession(memberId: string): Promise<string> {
    const cookie = randomToken();
    const at = this.now().toISOString();
    await memberRepository.insertSession(this.db, {
      id_hash: sha256(cookie),
      member_id: memberId,
      last_seen_at: at,
      created_at: at,
    });
    return cookie;
  }

  async resumeSession(cookie: string | undefined): Promise<MemberIdentity | undefined> {
    if (!cookie) return undefined;
    const idHash = sha256(cookie);
    const row = await memberRepository.session(this.db, idHash);
    if (!row) return undefined;
    // Suspension ends a session at once, even one opened before it.
    if (stateOf(row) !== 'active') {
      await memberRepository.deleteSession(this.db, idHash);
      return undefined;
    }
    const now = this.now();
    if (now.getTime() - Date.parse(row.last_seen_at) >= MEMBER_IDLE_MS) {
      await memberRepository.deleteSession(this.db, idHash);
      return undefined;
    }
    await memberRepository.touchSession(this.db, idHash, now.toISOString());
    return { memberId: row.member_id, orgId: row.org_id };
  }

  async endSession(cookie: string | undefined): Promise<void> {
    if (cookie) await memberRepository.deleteSession(this.db, sha256(cookie));
  }

  async profile(memberId: string): Promise<MemberProfile> {
    const row = await memberRepository.byId(this.db, memberId);
    if (!row) throw new MemberError('not_found', 'No such member');
    return {
      memberId: row.id,
      orgId: row.org_id,
      name: await this.cipher.decrypt(row.name_enc, 'members.name'),
      email: row.email_enc ? await this.cipher.decrypt(row.email_enc, 'members.email') : undefined,
      areas: row.alert_areas_enc
        ? (JSON.parse(await this.cipher.decrypt(row.alert_areas_enc, 'members.alert_areas')) as string[])
        : [],
      alerts: !!row.alerts_from && !!row.email_enc,
    };
  }

  /** Starts (or changes) email alerts for the member. */
  async setAlerts(memberId: string, input: { email: string; areas: string[] }): Promise<void> {
    if (!this.alertsEnabled) throw new MemberError('alerts_off', 'Email alerts are not available');
    const row = await memberRepository.byId(this.db, memberId);
    if (!row) throw new MemberError('not_found', 'No such member');
    await memberRepository.setAlerts(this.db, memberId, await this.alertColumns(row.org_id, input.email, input.areas));
    await this.audit.record({
      actorKind: 'public',
      orgId: row.org_id,
      action: 'member.alerts-started',
      targetKind: 'member',
      targetId: memberId,
    });
  }

  /** Stops email alerts and deletes the email address and chosen areas. */
  async stopAlerts(memberId: string): Promise<void> {
    const row = await memberRepository.byId(this.db, memberId);
    if (!row) return;
    await this.db.transaction().execute(async (trx) => {
      await memberRepository.setAlerts(trx, memberId, {
        email_enc: null,
        email_index: null,
        alert_areas_enc: null,
        alerts_from: null,
      });
      await memberRepository.dropWaitingAlerts(trx, memberId);
      await this.audit.record(
        {
          actorKind: 'public',
          orgId: row.org_id,
          action: 'member.alerts-stopped',
          targetKind: 'member',
          targetId: memberId,
        },
        trx,
      );
    });
  }

  /** Ends the membership: the code stops working and everything about the member is deleted. */
  async leave(memberId: string): Promise<void> {
    const row = await memberRepository.byId(this.db, memberId);
    if (!row) return;
    await this.db.transaction().execute(async (trx) => {
      await memberRepository.remove(trx, memberId);
      await this.audit.record(
        { actorKind: 'public', orgId: row.org_id, action: 'member.left', targetKind: 'member', targetId: memberId },
        trx,
      );
    });
  }

  /** The staff list: working names, how they joined, whether they get alerts. Never a code or an email. */
  async list(actor: StaffActor): Promise<{
    total: number;
    waitingCount: number;
    members: {
      id: string;
      name: string;
      source: 'self' | 'outreach';
      joinedAt: string;
      alerts: boolean;
      state: MemberState;
    }[];
  }> {
    const rows = await memberRepository.listForOrg(this.db, actor.orgId, STAFF_LIST_LIMIT);
    const total = Number((await memberRepository.countForOrg(this.db, actor.orgId)).n);
    const waitingCount = Number((await memberRepository.countWaiting(this.db, actor.orgId)).n);
    await this.audit.record({
      actorKind: 'user',
      actorId: actor.userId,
      orgId: actor.orgId,
      action: 'member.list-viewed',
      targetKind: 'organisation',
      targetId: actor.orgId,
      detail: { shown: rows.length },
    });
    return {
      total,
      waitingCount,
      members: await Promise.all(
        rows.map(async (r) => ({
          id: r.id,
          name: await this.cipher.decrypt(r.name_enc, 'members.name'),
          source: r.source,
          joinedAt: r.joined_at,
          alerts: !!r.alerts_from,
          state: stateOf(r),
        })),
      ),
    };
  }

  /**
   * Counts one number check for the caller ("member:<id>" or "token:<id>") and,
   * when given, the network address (a drop-in's shared wifi gets more room);
   * false once either has checked too often recently.
   */
  async allowCheck(caller: string, address?: string): Promise<boolean> {
    const keys: [string, ThrottlePolicy][] = [
      [this.throttle.keyFor('address', `warning-check:${caller}`), CHECK_POLICY],
    ];
    if (address !== undefined)
      keys.push([this.throttle.keyFor('address', `warning-check-address:${address}`), CHECK_ADDRESS_POLICY]);
    for (const [key] of keys) if (await this.throttle.isLocked(key)) return false;
    for (const [key, policy] of keys) await this.throttle.fail(key, policy);
    return true;
  }

  warningsPublic(orgId: string): Promise<boolean> {
    return memberRepository.warningsPublic(this.db, orgId);
  }

  async setWarningsPublic(actor: StaffActor, value: boolean): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await memberRepository.setWarningsPublic(trx, actor.orgId, value, this.now().toISOString());
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: actor.userId,
          orgId: actor.orgId,
          action: 'member.warnings-visibility-changed',
          targetKind: 'organisation',
          targetId: actor.orgId,
          detail: { public: value },
        },
        trx,
      );
    });
  }

  /**
   * Members to email about a warning in `area` (null: a warning for every area):
   * those whose chosen areas include it, or who chose none (every area). One
   * member per email address.
   */
  async alertRecipients(orgId: string, area: string | null): Promise<string[]> {
    const rows = await memberRepository.alertRecipients(this.db, orgId);
    const chosen: string[] = [];
    const addresses = new Set<string>();
    for (const row of rows) {
      if (row.email_index && addresses.has(row.email_index)) continue;
      const areas = row.alert_areas_enc
        ? (JSON.parse(await this.cipher.decrypt(row.alert_areas_enc, 'members.alert_areas')) as string[])
        : [];
      if (area !== null && areas.length > 0 && !areas.includes(area)) continue;
      chosen.push(row.id);
      if (row.email_index) addresses.add(row.email_index);
    }
    return chosen;
  }

  /** The address to send an alert to, if the member still wants alerts. */
  async alertAddress(memberId: string): Promise<string | undefined> {
    const row = await memberRepository.byId(this.db, memberId);
    if (!row?.alerts_from || !row.email_enc || stateOf(row) !== 'active') return undefined;
    return this.cipher.decrypt(row.email_enc, 'members.email');
  }

  // ---- who may join, approval and suspension ---------------------------------------

  joinMode(orgId: string): Promise<MemberJoinMode> {
    return memberRepository.joinMode(this.db, orgId);
  }

  async setJoinMode(actor: StaffActor, mode: MemberJoinMode): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const was = await memberRepository.joinMode(trx, actor.orgId);
      await memberRepository.setJoinMode(trx, actor.orgId, mode, this.now().toISOString());
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: actor.userId,
          orgId: actor.orgId,
          action: 'member.join-mode-changed',
          targetKind: 'organisation',
          targetId: actor.orgId,
          detail: { mode, was },
        },
        trx,
      );
    });
  }

  /**
   * Outreach or a caseworker approves a join request by typing the code the
   * person shows them, so the approval belongs to someone they have met. A
   * code of another organisation is the same "did not work" as a wrong one.
   */
  async approveByCode(actor: StaffActor, rawCode: string): Promise<{ memberId: string; name: string }> {
    const row = await this.rowForCode(rawCode);
    if (!row || row.org_id !== actor.orgId)
      throw new MemberError('wrong_code', 'That code did not work. Check it with the person and type all 16 digits.');
    if (row.suspended_at)
      throw new MemberError(
        'suspended',
        'That member is suspended. Restore them from the list of members if they should have access.',
      );
    await this.db.transaction().execute(async (trx) => {
      const changed = await memberRepository.approve(trx, row.id, this.now().toISOString(), actor.userId);
      if (!changed) throw new MemberError('not_waiting', 'That code already works: it does not need approving.');
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: actor.userId,
          orgId: actor.orgId,
          action: 'member.approved',
          targetKind: 'member',
          targetId: row.id,
        },
        trx,
      );
    });
    return { memberId: row.id, name: await this.cipher.decrypt(row.name_enc, 'members.name') };
  }

  /** Suspends a member of the staff member's organisation: their code, sessions and API access stop at once. */
  async suspend(actor: StaffActor, memberId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await memberRepository.byIdInOrg(trx, actor.orgId, memberId);
      if (!row) throw new MemberError('not_found', 'There is no such member in your organisation');
      if (!(await memberRepository.suspend(trx, memberId, this.now().toISOString(), actor.userId)))
        throw new MemberError('suspended', 'That member is already suspended');
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: actor.userId,
          orgId: actor.orgId,
          action: 'member.suspended',
          targetKind: 'member',
          targetId: memberId,
        },
        trx,
      );
    });
  }

  /** Lifts a suspension: the same code works again (a waiting request goes back to waiting). */
  async restore(actor: StaffActor, memberId: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      const row = await memberRepository.byIdInOrg(trx, actor.orgId, memberId);
      if (!row) throw new MemberError('not_found', 'There is no such member in your organisation');
      if (!(await memberRepository.restore(trx, memberId)))
        throw new MemberError('not_suspended', 'That member is not suspended');
      await this.audit.record(
        {
          actorKind: 'user',
          actorId: actor.userId,
          orgId: actor.orgId,
          action: 'member.restored',
          targetKind: 'member',
          targetId: memberId,
        },
        trx,
      );
    });
  }
}
