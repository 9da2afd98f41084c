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
  disabled_at: string | null;
  created_at: string;
  last_sign_in_at: string | null;
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
}

export interface DataKeysTable {
  id: string;
  wrapped_key: string;
  created_at: string;
  retired_at: string | null;
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
  source: 'online' | 'outreach' | 'phone' | 'drop-in';
  recorded_by: string | null;
  status: 'new' | 'open' | 'waiting' | 'closed';
  /** JSON array of incident type keys. */
  incident_types: string;
  occurred_on: string | null;
  area: string | null;
  account_enc: string;
  details_enc: string;
  contact_enc: string | null;
  submitted_at: string;
  assignee_id: ColumnType<string | null, string | null | undefined, string | null>;
  priority: ColumnType<'low' | 'normal' | 'high' | 'urgent', 'low' | 'normal' | 'high' | 'urgent' | undefined, 'low' | 'normal' | 'high' | 'urgent'>;
  /** JSON array of risk flag keys. */
  risk_flags: ColumnType<string, string | undefined, string>;
}

export interface CaseEventsTable {
  id: string;
  report_id: string;
  actor_id: string | null;
  kind: 'status' | 'assigned' | 'priority' | 'flags';
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

export interface DB {
  organisations: OrganisationsTable;
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  invitations: InvitationsTable;
  setup_tokens: SetupTokensTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  throttles: ThrottlesTable;
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
}

