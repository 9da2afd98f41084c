import type { ColumnType } from 'kysely';

// Row types for every table. Timestamps are ISO-8601 strings on both databases
// (see database.ts); nullable timestamps stand in for booleans.

export interface OrganisationsTable {
  id: string;
  slug: string;
  kind: 'support' | 'police';
  name: string;
  created_at: string;
  /** Shown on the report form's "Injuries and help" page; a general text when unset. */
  sarc_information: string | null;
}

export interface UsersTable {
  id: string;
  org_id: string;
  role: string;
  /** An administrator's second, working role ('caseworker' or 'liaison'), if they also work cases. */
  casework_role: string | null;
  email_hmac: string;
  email_enc: string;
  password_hash: string;
  totp_secret_enc: string | null;
  totp_enrolled_at: string | null;
  totp_last_step: number | null;
  /** Failed sign-in attempts since the person last saw the notice about them (migration 0024). */
  failed_sign_ins: number;
  failed_sign_in_first_at: string | null;
  failed_sign_in_last_at: string | null;
  disabled_at: string | null;
  created_at: string;
  last_sign_in_at: string | null;
  /** The first name shown to people who report (0020), encrypted; null: they are "a caseworker". */
  shown_name_enc?: string | null;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  used_at: string | null;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  org_id: string;
  role: string;
  email_hmac: string;
  email_enc: string;
  created_by: string | null;
  created_at: string;
  expires_at: string;
  accepted_at: string | null;
  revoked_at: string | null;
}

export interface SetupTokensTable {
  id: string;
  token_hash: string;
  created_at: string;
  expires_at: string;
  used_at: string | null;
}

export interface SessionsTable {
  id_hash: string;
  user_id: string;
  /** 'enrol' (password set, two-factor not yet), 'mfa' (password ok, code needed), 'active'. */
  stage: 'enrol' | 'mfa' | 'active';
  created_at: string;
  last_seen_at: string;
  expires_at: string;
  step_up_at: string | null;
}

export interface ApiTokensTable {
  id: string;
  org_id: string;
  role: string;
  name: string;
  token_hash: string;
  created_at: string;
  last_used_at: string | null;
  revoked_at: string | null;
}

export interface ThrottlesTable {
  key_hash: string;
  failures: number;
  window_started_at: string;
  locked_until: string | null;
  /** Keyed hash of the staff account a sign-in counter belongs to (migration 0024); null for others. */
  account_key: string | null;
}

/** A proof-of-work or wait ticket for code entry under a guessing spike (migration 0024). */
export interface CodeTicketsTable {
  id: string;
  address_key: string;
  not_before: string;
  expires_at: string;
  spent_at: string | null;
}

export interface AuditEntriesTable {
  seq: number;
  at: string;
  actor_kind: string;
  actor_id: string | null;
  org_id: string | null;
  action: string;
  target_kind: string | null;
  target_id: string | null;
  detail: string;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
  /** HMAC of seq and hash under the chain key; null before the first entry, 'unkeyed' on a trail from before keyed heads until the server starts. */
  head_mac: string | null;
  /** The last entry removed from the start of the chain under the retention schedule (0030); 0 while none was. */
  trimmed_seq: number;
  /** That entry's hash, which the first entry kept names as its previous one. */
  trimmed_hash: string | null;
  /** HMAC of trimmed_seq and trimmed_hash under the chain key, so the chain's start cannot be moved without it. */
  trimmed_mac: string | null;
}

export interface DataKeysTable {
  id: string;
  /** The key wrapped by the master key; blanked ('') once the key is destroyed. */
  wrapped_key: string;
  created_at: string;
  /** Rotated out: no longer used for new data, still read. */
  retired_at: string | null;
  /** Retired for good (0031): nothing was encrypted with it any more, and it can no longer decrypt. */
  destroyed_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface FeedbackTable {
  id: string;
  created_at: string;
  page: string | null;
  satisfaction: string | null;
  text_enc: string;
}

export interface ReportsTable {
  id: string;
  org_id: string;
  reference: string;
  receipt_lookup: string;
  receipt_verifier: string;
  idempotency_hash: string | null;
  /** SHA-256 of the canonical body sent with the Idempotency-Key (API), so a reused key with another body is refused. */
  idempotency_body_hash: string | null;
  source: 'online' | 'outreach' | 'phone' | 'drop-in';
  recorded_by: string | null;
  /** The staff API token that recorded an assisted report (recorded_by is then null). */
  recorded_by_token: ColumnType<string | null, string | null | undefined, string | null>;
  status: 'new' | 'open' | 'waiting' | 'closed';
  /** JSON array of incident type keys. */
  incident_types: string;
  occurred_on: string | null;
  /** One of the organisation's configured areas (the inbox filters on it); free text goes to area_enc. */
  area: string | null;
  /** Where it happened, typed as free text, encrypted. */
  area_enc: ColumnType<string | null, string | null | undefined, string | null>;
  account_enc: string;
  details_enc: string;
  contact_enc: string | null;
  submitted_at: string;
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>;
  priority: ColumnType<
    'low' | 'normal' | 'high' | 'urgent',
    'low' | 'normal' | 'high' | 'urgent' | undefined,
    'low' | 'normal' | 'high' | 'urgent'
  >;
  /** JSON array of risk flag keys. */
  risk_flags: ColumnType<string, string | undefined, string>;
  /** The person record this report belongs to (features/people). */
  person_id: ColumnType<string | null, string | null | undefined, string | null>;
  /** When a member of staff first opened the case (0020): "read by the charity" on Check your report. */
  first_read_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** When its personal content was erased (0030); the anonymous skeleton stays. */
  erased_at: ColumnType<string | null, string | null | undefined, string | null>;
  /** Why: 'retention' (the organisation's retention schedule) or 'request' (the person asked). */
  erased_because: ColumnType<ErasedBecause | null, ErasedBecause | null | undefined, ErasedBecause | null>;
}

export type ErasedBecause = 'retention' | 'request';

export interface CaseEventsTable {
  id: string;
  report_id: string;
  /** 'user' (actor_id is a users.id), 'token' (actor_id is an api_tokens.id) or 'person' (the person who reported, through Check your report; no id). */
  actor_kind: ColumnType<
    'user' | 'token' | 'person',
    'user' | 'token' | 'person' | undefined,
    'user' | 'token' | 'person'
  >;
  actor_id: string | null;
  kind:
    | 'status'
    | 'assigned'
    | 'priority'
    | 'flags'
    | 'note'
    | 'task'
    | 'task-done'
    | 'task-reopened'
    | 'engagement'
    | 'appointment-missed'
    | 'stop-requested'
    | 'deletion-requested';
  detail_enc: string;
  at: string;
}

export interface ReportAdditionsTable {
  id: string;
  report_id: string;
  text_enc: string;
  added_by: string | null;
  added_at: string;
}

export interface ReportMessagesTable {
  id: string;
  report_id: string;
  sender: 'reporter' | 'support';
  author_id: string | null;
  body_enc: string;
  sent_at: string;
}

export interface ConsentEntriesTable {
  id: string;
  report_id: string;
  scope: 'support' | 'warnOthers' | 'policeIntelligence' | 'policeReport' | 'policeContact';
  decision: 'given' | 'withdrawn';
  method: 'online' | 'in-person' | 'phone';
  /** Null when the person recorded it themselves. */
  recorded_by: string | null;
  /** The API token that recorded it, when it came through the API. */
  recorded_by_token?: string | null;
  recorded_at: string;
}

export interface ReportDraftsTable {
  id_hash: string;
  org_id: string;
  /** Encrypted JSON of the answers so far. */
  answers_enc: string;
  /** The furthest step the person may open (the journey's order is enforced on the server). */
  reached: number;
  source: ReportsTable['source'];
  recorded_by: string | null;
  created_at: string;
  expires_at: string;
}

export interface ReporterSessionsTable {
  id_hash: string;
  report_id: string;
  last_seen_at: string;
  created_at: string;
}

export interface OrganisationAreasTable {
  org_id: string;
  position: number;
  name: string;
}

export interface CaseNotesTable {
  id: string;
  report_id: string;
  actor_kind: 'user' | 'token';
  actor_id: string | null;
  body_enc: string;
  created_at: string;
}

export interface CaseTasksTable {
  id: string;
  report_id: string;
  org_id: string;
  title_enc: string;
  /** YYYY-MM-DD */
  due_on: string;
  owner_id: string;
  /** 'person': the person asked for it through Check your report (an appointment change). */
  created_by_kind: 'user' | 'token' | 'person';
  created_by_id: string | null;
  created_at: string;
  done_at: string | null;
}

export interface PartnershipsTable {
  id: string;
  support_org_id: string;
  police_org_id: string;
  created_at: string;
  /** When the force's administrator (or an operator) accepted it; null while it is only a request. */
  accepted_at: string | null;
  accepted_by_kind: string | null;
  accepted_by_id: string | null;
}

export interface ReferralsTable {
  id: string;
  report_id: string;
  support_org_id: string;
  police_org_id: string;
  level: 'intelligence' | 'full';
  status: 'new' | 'accepted' | 'declined';
  /** Encrypted JSON of what the police may see (see referrals/referralContent.ts). */
  content_enc: string;
  sent_by_kind: 'user' | 'token';
  sent_by_id: string | null;
  sent_at: string;
  decided_by_kind: 'user' | 'token' | null;
  decided_by_id: string | null;
  decided_at: string | null;
  decline_reason_enc: string | null;
}

export interface PoliceCasesTable {
  id: string;
  referral_id: string;
  police_org_id: string;
  crime_reference: string;
  officer_id: string | null;
  created_at: string;
  /** 1 / 0 when set by someone; null: decided from the report's incident types (police-cases/enhancedRights.ts). Added by 0014. */
  enhanced_rights?: number | null;
}

export interface BankHolidaysTable {
  date: string;
  title: string;
  /** 'bundled': a published gov.uk list (migrations); 'admin': a one-off day; 'cancelled': a published or computed day an administrator removed (0028). */
  source: 'bundled' | 'admin' | 'cancelled';
  added_by_kind: 'user' | 'token' | null;
  added_by_id: string | null;
  added_at: string;
}

export interface VictimsCodeRulesTable {
  event_type: string;
  must_inform: number;
  days_enhanced: number | null;
  days_standard: number | null;
  updated_at: string;
}

export interface CaseTimelineEventsTable {
  id: string;
  case_id: string;
  type: string;
  occurred_at: string;
  occurred_on: string;
  bail_end_date: string | null;
  outcome_type: number | null;
  detail_enc: string;
  actor_kind: 'user' | 'token';
  actor_id: string | null;
  recorded_at: string;
}

export interface DutiesTable {
  id: string;
  event_id: string;
  case_id: string;
  event_type: string;
  police_org_id: string;
  support_org_id: string;
  due_on: string;
  created_at: string;
  resolved_at: string | null;
  met_at: string | null;
  met_on?: string | null;
  how: 'mailbox' | 'call' | 'in-person' | 'via-outreach' | 'check-your-report' | null;
  note_enc: string | null;
  not_met_reason_enc: string | null;
  resolved_by_kind: 'user' | 'token' | null;
  resolved_by_id: string | null;
}

/** A safe-place appointment in a police case (0015); never deleted. `outcome = 'missed'` is an attrition risk flag. */
export interface AppointmentsTable {
  id: string;
  case_id: string;
  support_org_id: string;
  police_org_id: string;
  kind:
    | 'statement'
    | 'abe-interview'
    | 'medical-or-sarc'
    | 'identification'
    | 'court-familiarisation'
    | 'hearing'
    | 'trial';
  venue_kind: 'charity-premises' | 'sarc' | 'home' | 'other-agency' | 'police-station' | 'court' | 'other';
  venue_enc: string | null;
  starts_at: string;
  starts_on: string;
  attendees_enc: string | null;
  interpreter: number;
  interpreter_language_enc: string | null;
  interviewer_gender: 'no-preference' | 'female' | 'male';
  /** JSON array of special measure keys (appointments/appointmentService.ts). */
  special_measures: string;
  special_measures_note_enc: string | null;
  proposed_side: 'police' | 'support';
  proposed_by_kind: 'user' | 'token';
  proposed_by_id: string | null;
  proposed_at: string;
  confirmed_at: string | null;
  confirmed_how: string | null;
  confirmed_by_kind: 'user' | 'token' | null;
  confirmed_by_id: string | null;
  confirmed_note_enc: string | null;
  reminder_task_id: string | null;
  outcome: 'attended' | 'missed' | 'rearranged' | 'cancelled-by-police' | null;
  outcome_at: string | null;
  outcome_by_kind: 'user' | 'token' | null;
  outcome_by_id: string | null;
  outcome_note_enc: string | null;
  rearranged_to_id: string | null;
  rearranged_from_id: string | null;
}

/** A message between the liaison officer and the officer in the case; never shown to the person. */
export interface CaseMessagesTable {
  id: string;
  case_id: string;
  side: 'police' | 'support';
  author_kind: 'user' | 'token';
  author_id: string | null;
  org_id: string;
  body_enc: string;
  created_at: string;
}

/** The police asked for contact with the victim: a task for the liaison, and a reach-me entry when needed. */
export interface CaseContactRequestsTable {
  id: string;
  case_id: string;
  requested_by_kind: 'user' | 'token';
  requested_by_id: string | null;
  reason_enc: string | null;
  requested_at: string;
  task_id: string;
  reach_me_id: string | null;
  person_id: string | null;
  person_created_at: string | null;
}

/** Attrition watch (0016): each change of the person's engagement with the case (append-only). */
export interface EngagementChangesTable {
  id: string;
  report_id: string;
  org_id: string;
  status: 'engaged' | 'wavering' | 'withdrawn';
  /** Encrypted JSON array of reason keys (attrition/engagement.ts). */
  reasons_enc: string;
  note_enc: string | null;
  changed_on: string;
  wants_support: 'yes' | 'no' | null;
  /** 'person' when the person asked to stop through Check your report (no id). */
  actor_kind: 'user' | 'token' | 'person';
  actor_id: string | null;
  created_at: string;
}

/** Attrition watch (0016): the current engagement status, denormalised for the lists. */
export interface EngagementCurrentTable {
  report_id: string;
  org_id: string;
  status: 'engaged' | 'wavering' | 'withdrawn';
  wants_support: 'yes' | 'no' | null;
  changed_on: string;
  updated_at: string;
}

/** The attrition watch (0019): what the at-risk list needs, one row per open report (features/attrition/attritionWatch.ts). */
export interface AttritionWatchTable {
  report_id: string;
  org_id: string;
  reference: string;
  person_id: string | null;
  submitted_at: string;
  last_contact_at: string | null;
  contact_since: string;
  updated_since: string;
  missed_appointment: number;
  contact_points_retired: number;
  engagement: 'engaged' | 'wavering' | 'withdrawn' | null;
  wants_support: 'yes' | 'no' | null;
  static_score: number;
  has_person: number;
}

/** Derived tables a migration created empty, still to be filled from the data (0019; src/derivedData.ts). */
export interface DerivedDataPendingTable {
  name: string;
}

/** Training records (0017): an officer of a partner force completed the charity's training. */
export interface OfficerTrainingTable {
  id: string;
  support_org_id: string;
  police_org_id: string;
  officer_user_id: string | null;
  officer_name_enc: string | null;
  officer_email_enc: string | null;
  /** cipher.blindIndex(email, 'users.email'): joins with users.email_hmac. */
  officer_email_index: string | null;
  completed_on: string;
  module: string;
  trainer_enc: string;
  recorded_by_kind: 'user' | 'token';
  recorded_by_id: string | null;
  recorded_at: string;
  removed_at: string | null;
  removed_by_kind: 'user' | 'token' | null;
  removed_by_id: string | null;
  removed_reason_enc: string | null;
}

export interface MembersTable {
  id: string;
  org_id: string;
  name_enc: string;
  email_enc: string | null;
  /** Blind index of the lower-cased email (cipher.blindIndex), so one address joins once. */
  email_index: string | null;
  /** JSON array of area names, encrypted; an empty array means every area. */
  alert_areas_enc: string | null;
  /** Keyed hash of the 16-digit member code (lookup) and its argon2id verifier; the code itself is never stored. */
  code_lookup: string;
  code_verifier: string;
  source: 'self' | 'outreach';
  issued_by: string | null;
  joined_at: string;
  /** Set while the member wants email alerts (and has an email). */
  alerts_from: string | null;
  /** When the code started working; null while a join request waits for outreach or a caseworker to approve it. */
  approved_at: string | null;
  /** Who approved or issued it (null: joined while joining was open). */
  approved_by: string | null;
  /** Set while the member is suspended: the code, member sessions and the member API stop working. */
  suspended_at: string | null;
  suspended_by: string | null;
  /** When the code last signed in (0030), so an account left unused can be removed under the retention schedule. */
  last_active_at: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MemberSessionsTable {
  id_hash: string;
  member_id: string;
  last_seen_at: string;
  created_at: string;
}

export interface AlertOutboxTable {
  id: string;
  org_id: string;
  member_id: string;
  warning_id: string;
  title_enc: string;
  body_enc: string;
  attempts: ColumnType<number, number | undefined, number>;
  next_attempt_at: string;
  /** A short error code (never an address). */
  last_error: string | null;
  created_at: string;
  sent_at: string | null;
}

/** Work to do later or on a schedule, claimed by one runner at a time (migration 0029). */
export interface JobsTable {
  id: string;
  type: string;
  /** JSON; never personal data (ids only), since it is not encrypted. */
  payload: string;
  dedupe_key: string | null;
  run_at: string;
  attempts: ColumnType<number, number | undefined, number>;
  max_attempts: number;
  locked_by: string | null;
  locked_until: string | null;
  /** A short error code, never a message (messages can carry personal data). */
  last_error: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  failed_at: string | null;
  dismissed_at: string | null;
}

export interface JobSchedulesTable {
  type: string;
  cron: string;
  next_run_at: string;
  last_run_at: string | null;
  last_success_at: string | null;
  last_error: string | null;
  /** What the last run reported, in a few words without personal data (e.g. "3 sessions removed"). */
  last_detail: string | null;
  failures: ColumnType<number, number | undefined, number>;
}

export type MemberJoinMode = 'open' | 'approval' | 'staff';

export interface MemberSettingsTable {
  org_id: string;
  /** 1: anyone can see the organisation's published warnings without signing in. */
  warnings_public: number;
  updated_at: string;
  /** How people become members: 'open' (default), 'approval' (staff approve each code) or 'staff' (codes only issued on outreach). */
  join_mode: ColumnType<MemberJoinMode, MemberJoinMode | undefined, MemberJoinMode>;
}

export interface WarningsTable {
  id: string;
  org_id: string;
  status: 'draft' | 'published' | 'withdrawn';
  /** An incident type key (reporting/reportSchema.ts). */
  type: string;
  /** One of the organisation's configured areas; free text goes to area_enc. */
  area: string | null;
  area_enc: ColumnType<string | null, string | null | undefined, string | null>;
  title_enc: string;
  body_enc: string;
  /** Encrypted JSON { phones, registrations, handles, vehicle, description }. */
  perpetrator_enc: string;
  author_kind: 'user' | 'token';
  author_id: string;
  created_at: string;
  approved_by_kind: 'user' | 'token' | null;
  approved_by_id: string | null;
  published_at: string | null;
  expires_at: string | null;
  withdrawn_at: string | null;
  withdrawn_by_kind: 'user' | 'token' | null;
  withdrawn_by_id: string | null;
  withdrawn_reason_enc: string | null;
}

export interface WarningReportsTable {
  warning_id: string;
  report_id: string;
}

export interface WarningIdentifiersTable {
  id: string;
  warning_id: string;
  org_id: string;
  kind: 'phone' | 'registration';
  /** Registrations: '0' per known character, '1' per `?`. Null for phones. */
  mask: string | null;
  /** cipher.blindIndex of the E.164 phone or the (masked) registration. */
  lookup: string;
}

export interface WarningEventsTable {
  id: string;
  warning_id: string;
  actor_kind: 'user' | 'token';
  actor_id: string | null;
  kind: 'drafted' | 'approved' | 'withdrawn';
  detail_enc: string;
  at: string;
}

export interface PeopleTable {
  id: string;
  org_id: string;
  working_name_enc: string;
  working_name_index: string;
  /** Encrypted JSON array of strings. */
  other_names_enc: string;
  /** Encrypted JSON array of strings. */
  languages_enc: string;
  interpreter_enc: string;
  notes_enc: string;
  created_by_kind: 'user' | 'token';
  created_by_id: string | null;
  created_at: string;
  merged_into: string | null;
  merged_at: string | null;
}

export interface ContactPointsTable {
  id: string;
  org_id: string;
  person_id: string;
  kind: string;
  value_enc: string;
  safe_message: 'yes' | 'no';
  safe_times_enc: string | null;
  code_word_enc: string | null;
  source: 'staff' | 'outreach' | 'api';
  added_by_kind: 'user' | 'token';
  added_by_id: string | null;
  added_at: string;
  last_confirmed_at: string | null;
  retired_at: string | null;
  retired_reason: string | null;
}

export interface ContactAttemptsTable {
  id: string;
  org_id: string;
  person_id: string;
  contact_point_id: string | null;
  reach_me_id: string | null;
  channel: string;
  outcome: string;
  note_enc: string | null;
  actor_kind: 'user' | 'token';
  actor_id: string | null;
  at: string;
}

export interface ReachMeEntriesTable {
  id: string;
  org_id: string;
  person_id: string;
  recognise_enc: string | null;
  where_seen_enc: string;
  message_enc: string;
  added_by_kind: 'user' | 'token';
  added_by_id: string | null;
  added_at: string;
  closed_at: string | null;
  closed_by_kind: string | null;
  closed_by_id: string | null;
}

export interface PersonEventsTable {
  id: string;
  person_id: string;
  actor_kind: 'user' | 'token';
  actor_id: string | null;
  kind: string;
  detail_enc: string;
  at: string;
}

/** Words the charity chose to pass on to the person through Check your report (0020). */
export interface PersonUpdatesTable {
  id: string;
  report_id: string;
  org_id: string;
  text_enc: string;
  duty_id: string | null;
  actor_kind: 'user' | 'token';
  actor_id: string | null;
  created_at: string;
}

/** The person asked the charity to stop working on their report, or to delete it (0020); one of each kind per report. */
export interface PersonRequestsTable {
  id: string;
  report_id: string;
  org_id: string;
  kind: 'stop' | 'delete';
  requested_at: string;
}

/** An organisation's retention schedule (0030); without a row the defaults apply (features/retention/schedule.ts). */
export interface RetentionSettingsTable {
  org_id: string;
  uncontacted_months: number;
  closed_years: number;
  member_inactive_months: number;
  audit_years: number;
  request_days: number;
  updated_at: string;
  updated_by: string | null;
}

/** A legal hold (0030): while one is in force (released_at null) the report is not erased. */
export interface LegalHoldsTable {
  id: string;
  report_id: string;
  org_id: string;
  reason_enc: string;
  placed_by_kind: 'user' | 'token';
  placed_by_id: string | null;
  placed_at: string;
  released_at: string | null;
  released_by_kind: 'user' | 'token' | null;
  released_by_id: string | null;
}

/** Erasing a person record (0030): one member of staff asks, a different one confirms. */
export interface PersonErasuresTable {
  id: string;
  org_id: string;
  person_id: string;
  because: ErasedBecause;
  requested_by: string;
  requested_at: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  cancelled_by: string | null;
  cancelled_at: string | null;
}

/** Derived: what a report is about (`type:…`, `flag:…`, `consent:…` while given), for the inbox filters. */
export interface ReportTagsTable {
  report_id: string;
  org_id: string;
  tag: string;
  submitted_at: string;
}

export interface DB {
  people: PeopleTable;
  contact_points: ContactPointsTable;
  contact_attempts: ContactAttemptsTable;
  reach_me_entries: ReachMeEntriesTable;
  person_events: PersonEventsTable;
  organisations: OrganisationsTable;
  warnings: WarningsTable;
  warning_reports: WarningReportsTable;
  warning_identifiers: WarningIdentifiersTable;
  warning_events: WarningEventsTable;
  members: MembersTable;
  member_sessions: MemberSessionsTable;
  alert_outbox: AlertOutboxTable;
  jobs: JobsTable;
  job_schedules: JobSchedulesTable;
  member_settings: MemberSettingsTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  invitations: InvitationsTable;
  setup_tokens: SetupTokensTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  throttles: ThrottlesTable;
  code_tickets: CodeTicketsTable;
  audit_entries: AuditEntriesTable;
  audit_head: AuditHeadTable;
  data_keys: DataKeysTable;
  feedback: FeedbackTable;
  reports: ReportsTable;
  report_additions: ReportAdditionsTable;
  report_messages: ReportMessagesTable;
  consent_entries: ConsentEntriesTable;
  report_drafts: ReportDraftsTable;
  reporter_sessions: ReporterSessionsTable;
  organisation_areas: OrganisationAreasTable;
  case_events: CaseEventsTable;
  case_notes: CaseNotesTable;
  case_tasks: CaseTasksTable;
  report_tags: ReportTagsTable;
  partnerships: PartnershipsTable;
  referrals: ReferralsTable;
  police_cases: PoliceCasesTable;
  bank_holidays: BankHolidaysTable;
  victims_code_rules: VictimsCodeRulesTable;
  case_timeline_events: CaseTimelineEventsTable;
  duties: DutiesTable;
  appointments: AppointmentsTable;
  case_messages: CaseMessagesTable;
  case_contact_requests: CaseContactRequestsTable;
  engagement_changes: EngagementChangesTable;
  engagement_current: EngagementCurrentTable;
  attrition_watch: AttritionWatchTable;
  derived_data_pending: DerivedDataPendingTable;
  officer_training: OfficerTrainingTable;
  person_updates: PersonUpdatesTable;
  person_requests: PersonRequestsTable;
  retention_settings: RetentionSettingsTable;
  legal_holds: LegalHoldsTable;
  person_erasures: PersonErasuresTable;
}
