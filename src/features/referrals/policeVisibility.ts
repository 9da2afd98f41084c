import type { Role } from '../../platform/http/principal.ts';
import type { ConsentScope, ConsentState } from '../consent/index.ts';
import {
  CONSENT_FOR_LEVEL,
  type IntelligenceRecord,
  type ReferralContent,
  type ReferralLevel,
  type VictimDetails,
} from './referralContent.ts';

/**
 * What a police reader may see of a referral (pure): which referrals, and how
 * much of one under the person's consent as it stands now. The service reads
 * the rows and the ledger; these rules decide.
 */

/**
 * Whose referrals a police viewer may open: `undefined` for all of the force's
 * (supervisors), an officer's own id for the cases they hold (officers signed in
 * as themselves), `null` for none (any other role, and officer tokens, which
 * belong to no one officer).
 */
export function officerFilter(viewer: { role: Role; kind: string; id: string }): string | undefined | null {
  if (viewer.role === 'supervisor') return undefined;
  if (viewer.role === 'officer' && viewer.kind === 'user') return viewer.id;
  return null;
}

/** Whether a referral of the viewer's force, whose case is held by `officerId`, is one the filter lets them open. */
export function mayOpen(filter: string | undefined | null, officerId: string | null | undefined): boolean {
  if (filter === null) return false;
  return filter === undefined || officerId === filter;
}

export interface LiveConsent {
  /** Whether the consent the referral's level needs is current now. */
  current: boolean;
  /** When that consent was last withdrawn, while it is not current. */
  withdrawnAt: string | null;
  /** Whether the person agrees to police contact now. */
  contact: boolean;
}

/** Live consent for a referral of `level`, from the ledger's state and its history (oldest first). */
export function liveConsent(
  level: ReferralLevel,
  state: ConsentState,
  history: readonly { scope: ConsentScope; decision: string; recorded_at: string }[],
): LiveConsent {
  const scope = CONSENT_FOR_LEVEL[level];
  const current = state[scope];
  const withdrawnAt = current
    ? null
    : (history.filter((e) => e.scope === scope && e.decision === 'withdrawn').at(-1)?.recorded_at ?? null);
  return { current, withdrawnAt, contact: state.policeContact };
}

export interface ShownContent {
  content: Omit<ReferralContent, 'victim'>;
  /** Only for a full referral; `contact` is null unless the person agrees to police contact now. */
  victim?: Omit<VictimDetails, 'contact'> & { contact: VictimDetails['contact'] | null };
}

/**
 * What the force reads of a referral's content while its consent is current
 * (with it withdrawn the force reads none of it). The person's details go only
 * with a full referral, and how to reach them only while contact is agreed.
 */
export function shownContent(level: ReferralLevel, stored: ReferralContent, contactAgreed: boolean): ShownContent {
  const { victim, ...content } = stored;
  const shown: ShownContent = { content };
  if (level === 'full' && victim) shown.victim = { ...victim, contact: contactAgreed ? victim.contact : null };
  return shown;
}

/** An intelligence referral as the force's own system takes it: the outline facts and the text, nothing about the person. */
export function intelligenceRecordOf(
  row: { id: string; sent_at: string },
  forceSlug: string,
  content: ReferralContent,
): IntelligenceRecord {
  return {
    id: row.id,
    force: forceSlug,
    receivedAt: row.sent_at,
    incidentTypes: content.incidentTypes,
    area: content.area,
    month: content.when,
    summary: content.summary,
  };
}
