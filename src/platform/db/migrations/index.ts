import type { Migration } from 'kysely';
import * as foundation from './20261128_0001_foundation.ts';
import * as reports from './20261128_0002_reports.ts';
import * as reportDrafts from './20261128_0003_report_drafts.ts';
import * as reporterSessions from './20261128_0004_reporter_sessions.ts';
import * as organisationAreas from './20261128_0005_organisation_areas.ts';
import * as sarcInformation from './20261128_0006_sarc_information.ts';
import * as caseTriage from './20261128_0007_case_triage.ts';
import * as peopleContact from './20261128_0008_people_contact.ts';
import * as warnings from './20261128_0009_warnings.ts';
import * as members from './20261128_0010_members.ts';
import * as caseNotesTasks from './20261128_0011_case_notes_tasks.ts';
import * as adminCasework from './20261128_0012_admin_casework.ts';
import * as partnershipsReferrals from './20261128_0013_partnerships_referrals.ts';
import * as caseTimelineDuties from './20261128_0014_case_timeline_duties.ts';
import * as appointments from './20261129_0015_appointments.ts';
import * as engagement from './20261129_0016_engagement.ts';
import * as officerTraining from './20261129_0017_officer_training.ts';
import * as caseMessages from './20261129_0018_case_messages.ts';
import * as attritionWatch from './20261129_0019_attrition_watch.ts';
import * as reportProgress from './20261201_0020_report_progress.ts';
import * as idempotencyBody from './20261201_0022_idempotency_body.ts';
import * as memberJoining from './20261201_0023_member_joining.ts';
import * as lockoutResistance from './20261201_0024_lockout_resistance.ts';
import * as partnershipAcceptance from './20261201_0025_partnership_acceptance.ts';
import * as keyedHeadAreaTextReportToken from './20261201_0026_keyed_head_area_text_report_token.ts';
import * as singleActiveRows from './20261201_0027_single_active_rows.ts';
import * as bankHolidayRules from './20261201_0028_bank_holiday_rules.ts';
import * as jobs from './20261208_0029_jobs.ts';
import * as retention from './20261208_0030_retention.ts';
import * as keyRetirement from './20261208_0031_key_retirement.ts';

/** Every migration, in order. Add new ones at the end with a later timestamp. */
export const migrations: Record<string, Migration> = {
  '20261128_0001_foundation': foundation,
  '20261128_0002_reports': reports,
  '20261128_0003_report_drafts': reportDrafts,
  '20261128_0004_reporter_sessions': reporterSessions,
  '20261128_0005_organisation_areas': organisationAreas,
  '20261128_0006_sarc_information': sarcInformation,
  '20261128_0007_case_triage': caseTriage,
  '20261128_0008_people_contact': peopleContact,
  '20261128_0009_warnings': warnings,
  '20261128_0010_members': members,
  '20261128_0011_case_notes_tasks': caseNotesTasks,
  '20261128_0012_admin_casework': adminCasework,
  '20261128_0013_partnerships_referrals': partnershipsReferrals,
  '20261128_0014_case_timeline_duties': caseTimelineDuties,
  '20261129_0015_appointments': appointments,
  '20261129_0016_engagement': engagement,
  '20261129_0017_officer_training': officerTraining,
  '20261129_0018_case_messages': caseMessages,
  '20261129_0019_attrition_watch': attritionWatch,
  '20261201_0020_report_progress': reportProgress,
  '20261201_0022_idempotency_body': idempotencyBody,
  '20261201_0023_member_joining': memberJoining,
  '20261201_0024_lockout_resistance': lockoutResistance,
  '20261201_0025_partnership_acceptance': partnershipAcceptance,
  '20261201_0026_keyed_head_area_text_report_token': keyedHeadAreaTextReportToken,
  '20261201_0027_single_active_rows': singleActiveRows,
  '20261201_0028_bank_holiday_rules': bankHolidayRules,
  '20261208_0029_jobs': jobs,
  '20261208_0030_retention': retention,
  '20261208_0031_key_retirement': keyRetirement,
};
