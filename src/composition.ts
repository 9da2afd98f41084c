import type { Config } from './config.ts';
import { openDatabase, targetFor, type Database, type DatabaseTarget } from './platform/db/database.ts';
import { fillPending, migrateAndFill } from './derivedData.ts';
import { deriveKey, loadMasterKey } from './platform/crypto/index.ts';
import { FieldCipher } from './platform/crypto/fieldCipher.ts';
import { Reencryption } from './platform/crypto/reencryption.ts';
import { Metrics } from './platform/metrics.ts';
import type { SiteGlobals } from './platform/http/views.ts';
import { AuditTrail } from './features/audit/auditTrail.ts';
import { AuditBrowser } from './features/audit/auditBrowser.ts';
import { DatabaseAuthenticator } from './features/sign-in/authenticator.ts';
import { SessionStore } from './features/sessions/sessionStore.ts';
import { ApiTokenService } from './features/api/apiTokenService.ts';
import { Triage } from './features/casework/triage.ts';
import { CaseWork } from './features/casework/caseWork.ts';
import { ConsentLedger } from './features/consent/consentLedger.ts';
import { FeedbackService } from './features/feedback/feedbackService.ts';
import { ReportDrafts } from './features/reporting/reportDrafts.ts';
import { ReporterSessions } from './features/reporting/reporterSessions.ts';
import { ReportService } from './features/reporting/reportService.ts';
import { OrganisationService } from './features/organisations/organisationService.ts';
import { SetupService } from './features/setup/setupService.ts';
import { SignInService } from './features/sign-in/signInService.ts';
import { Throttle } from './features/throttling/throttle.ts';
import { DeviceCookies } from './features/sign-in/deviceCookies.ts';
import { CodeGuard } from './features/throttling/codeGuard.ts';
import { InvitationService } from './features/staff/invitationService.ts';
import { StaffAccounts } from './features/staff/staffAccounts.ts';
import { StaffAdministration } from './features/staff/staffAdministration.ts';
import { MemberAlerts } from './features/members/memberAlerts.ts';
import { withMemberCodes } from './features/members/memberAuthenticator.ts';
import { MemberService } from './features/members/memberService.ts';
import { WarningService } from './features/warnings/warningService.ts';
import { PartnershipService } from './features/referrals/partnershipService.ts';
import { ReferralService } from './features/referrals/referralService.ts';
import { PeopleService } from './features/people/peopleService.ts';
import { ReachMeService } from './features/outreach/reachMeService.ts';
import { PoliceCaseScope } from './features/police-cases/caseScope.ts';
import { PoliceCases } from './features/police-cases/policeCases.ts';
import { CaseTimeline } from './features/police-cases/caseTimeline.ts';
import { Duties } from './features/police-cases/duties.ts';
import { DutyLists } from './features/police-cases/dutyLists.ts';
import { DutyCompliance } from './features/police-cases/dutyCompliance.ts';
import { BankHolidayService } from './features/calendar/bankHolidayService.ts';
import { CaseMessages } from './features/case-messages/caseMessages.ts';
import { ContactRequests } from './features/case-messages/contactRequests.ts';
import { AppointmentService } from './features/appointments/appointmentService.ts';
import { Engagement } from './features/attrition/engagement.ts';
import { ReportProgress } from './features/reporting/reportProgress.ts';
import { PersonRequests } from './features/reporting/personRequests.ts';
import { SubjectAccess } from './features/reporting/subjectAccess.ts';
import { ShownNames } from './features/staff/shownName.ts';
import { AtRiskList } from './features/attrition/atRisk.ts';
import { OfficerTraining } from './features/training/officerTraining.ts';
import { HealthService } from './features/health/healthService.ts';
import { KeyService } from './features/keys/keyService.ts';
import { JobQueue } from './features/jobs/jobQueue.ts';
import { JobRunner } from './features/jobs/jobRunner.ts';
import { JobsOverview } from './features/jobs/jobsOverview.ts';
import { BackupService } from './features/backup/backupService.ts';
import { Erasure } from './features/retention/erasure.ts';
import { LegalHolds } from './features/retention/legalHolds.ts';
import { PersonErasure } from './features/retention/personErasure.ts';
import { RetentionService } from './features/retention/retentionService.ts';
import { defineJobs } from './scheduledWork.ts';

export interface BuildOptions {
  /** Overrides the database named by the config (tests use this). */
  databaseTarget?: DatabaseTarget;
  /** Clock, so tests can move time (session and token expiry). */
  now?: () => Date;
  /** Apply pending migrations while starting (the server and tests do; `liaison migrate` does it itself). */
  migrate?: boolean;
  /** Key an audit head left unkeyed by an upgrade (default); `liaison audit verify` and `checkpoint` must not. */
  keyAuditHead?: boolean;
}

/**
 * The composition root: builds the database, then the building blocks, then
 * every feature's services, in one visible place. Routes receive these and
 * never open the database themselves.
 */
export async function buildServices(config: Config, options: BuildOptions = {}) {
  const target = options.databaseTarget ?? targetFor(config.dataDir, config.databaseUrl);
  const database: Database = openDatabase(target, config.databasePool);
  const { db } = database;
  const now = options.now ?? (() => new Date());
  if (options.migrate !== false) await migrateAndFill(db);

  const masterKey = loadMasterKey({
    fromEnv: config.masterKeyBase64,
    dataDir: config.dataDir,
    allowKeyFile: target.dialect === 'sqlite',
  });
  const cipher = new FieldCipher(db, masterKey.key, now);
  await cipher.load();
  // A key started elsewhere (another instance, `liaison keys rotate`) is used for new data within about a minute.
  const stopWatchingKeys = cipher.watchForNewKeys();
  if (options.migrate !== false) await fillPending(db, cipher);
  const keys = {
    csrf: deriveKey(masterKey.key, 'csrf'),
    throttle: deriveKey(masterKey.key, 'throttle'),
  };
  const cookies = {
    session: config.secureCookies ? '__Host-session' : 'session',
    csrf: config.secureCookies ? '__Host-csrf' : 'csrf',
    reportDraft: config.secureCookies ? '__Host-report' : 'report',
    checkReport: config.secureCookies ? '__Host-check' : 'check',
    memberSession: config.secureCookies ? '__Host-member' : 'member',
    // Marks a browser someone has fully signed in on, so others' wrong passwords cannot lock them out of it.
    device: config.secureCookies ? '__Host-device' : 'device',
  };
  const audit = new AuditTrail(db, deriveKey(masterKey.key, 'audit-chain'), now);
  // Work for later: producers queue it in their own transaction; the runner (started by `serve` or
  // `liaison worker`) claims it with a lease, so each job runs on one instance at a time.
  const jobQueue = new JobQueue(now);
  const jobFailures: { report(context: { type: string; jobId: string; code: string; willRetry: boolean }): void } = {
    report: () => {},
  };
  const jobRunner = new JobRunner(db, database.dialect, jobQueue, now, {
    pollMs: config.jobs.pollMs,
    leaseMs: 5 * 60_000,
    batch: 20,
    onError: (context) => jobFailures.report(context),
  });
  const jobsOverview = new JobsOverview(db, jobRunner, audit, now);
  // A trail from before heads were keyed gets its key now, with an entry saying so (never while verifying it).
  if (options.migrate !== false && options.keyAuditHead !== false) await audit.keyHead();
  const auditBrowser = new AuditBrowser(db, cipher, audit);
  const sessions = new SessionStore(db, now);
  const authenticator = new DatabaseAuthenticator(
    db,
    sessions,
    { name: cookies.session, secure: config.secureCookies },
    now,
  );
  const organisations = new OrganisationService(db, audit, now);
  const accounts = new StaffAccounts(db, cipher, now);
  const invitations = new InvitationService(db, cipher, audit, organisations, accounts, config.publicUrl, now);
  const setup = new SetupService(db, audit, organisations, accounts, config.publicUrl, now);
  const throttle = new Throttle(db, keys.throttle, now);
  const signIn = new SignInService(
    db,
    accounts,
    throttle,
    audit,
    new DeviceCookies(deriveKey(masterKey.key, 'device-cookies')),
    now,
  );
  const staffAdmin = new StaffAdministration(db, accounts, sessions, audit, now);
  const apiTokens = new ApiTokenService(db, audit, organisations, now);
  const feedback = new FeedbackService(db, cipher, audit, now);
  const consent = new ConsentLedger(db, now);
  const reportDrafts = new ReportDrafts(db, cipher, now);
  // Receipt and member codes: per-address back-off, and a ticket (proof of work or a wait) under a guessing spike.
  const codeGuard = new CodeGuard(db, throttle, audit, deriveKey(masterKey.key, 'code-tickets'), now);
  const reports = new ReportService(
    db,
    cipher,
    audit,
    organisations,
    consent,
    codeGuard,
    deriveKey(masterKey.key, 'receipt-codes'),
    now,
  );
  // Members read published warnings; approving one queues the alert job in the same transaction.
  const members = new MemberService(
    db,
    cipher,
    audit,
    organisations,
    throttle,
    codeGuard,
    deriveKey(masterKey.key, 'member-codes'),
    config.alerts !== undefined,
    now,
  );
  const memberAlerts = new MemberAlerts(db, cipher, members, config.alerts, now);
  const triage = new Triage(db, cipher, audit, now);
  // Warnings to others; `onPublished` runs inside the approval's transaction.
  const warnings = new WarningService(db, cipher, audit, reports, consent, organisations, now, {
    expiryMonths: config.warningExpiryMonths,
    onPublished: (trx, warning) =>
      jobQueue
        .enqueue(trx, 'member-alerts.fan-out', { warningId: warning.id, orgId: warning.orgId })
        .then(() => undefined),
  });
  memberAlerts.readActiveWarningsFrom(warnings);
  const partnerships = new PartnershipService(db, audit, now);
  const referrals = new ReferralService(db, cipher, audit, consent, partnerships, now);
  const people = new PeopleService(db, cipher, audit, now);
  const reachMe = new ReachMeService(db, cipher, audit, people, now);
  // The working-day calendar every deadline counts with (bank holidays, administered at /admin/bank-holidays).
  const bankHolidays = new BankHolidayService(db, audit, now);
  // Police cases: who may see which case, the timeline and the Victims' Code duties; liaison–officer messages and contact requests.
  const caseScope = new PoliceCaseScope(db);
  const duties = new Duties(db, cipher, audit, caseScope, bankHolidays, now);
  const dutyLists = new DutyLists(db, audit, caseScope, now);
  const engagement = new Engagement(db, cipher, audit, now);
  const caseMessages = new CaseMessages(db, cipher, audit, caseScope, now);
  const contactRequests = new ContactRequests(db, cipher, audit, caseScope, bankHolidays, people, reachMe, now);
  const reportProgress = new ReportProgress(db, cipher, now);
  // Retention and erasure: what goes and what stays is decided in one place (retention/erasure.ts).
  const erasure = new Erasure(db, cipher, audit, now);
  const legalHolds = new LegalHolds(db, cipher, audit, now);
  // Counts and timings for /metrics (no personal data; see platform/metrics.ts).
  const metrics = new Metrics({ database, throttleLocks: () => throttle.lockedCount() });
  const siteGlobals: SiteGlobals = {
    serviceName: config.serviceName,
    publicPageTitle: config.publicPageTitle,
    exitUrl: config.exitUrl,
  };

  const services = {
    config,
    database,
    db,
    now,
    masterKeyFileCreated: masterKey.createdFile,
    cipher,
    // The data-encryption keys: listing, rotating, re-encrypting older data and retiring (admin pages, `liaison keys`).
    dataKeys: new KeyService(cipher, audit, new Reencryption(db, database.dialect, cipher), now, (trx, keyId, runAt) =>
      jobQueue
        .enqueue(trx, 'keys.reencrypt', {}, { runAt, dedupeKey: `keys.reencrypt:${keyId}` })
        .then(() => undefined),
    ),
    keys,
    cookies,
    siteGlobals,
    audit,
    auditBrowser,
    sessions,
    authenticator: withMemberCodes(authenticator, members, now),
    members,
    memberAlerts,
    organisations,
    accounts,
    invitations,
    setup,
    signIn,
    throttle,
    codeGuard,
    staffAdmin,
    apiTokens,
    feedback,
    consent,
    reports,
    reportDrafts,
    reporterSessions: new ReporterSessions(db, now),
    triage,
    warnings,
    partnerships,
    referrals,
    people,
    reachMe,
    caseWork: new CaseWork(db, cipher, audit, triage, now),
    // What the person sees happening on Check your report, and what they ask of the charity there.
    reportProgress,
    // The person's own data (subject access): from Check your report, or for a person record on request.
    subjectAccess: new SubjectAccess(db, cipher, reportProgress, organisations, reachMe, audit, now),
    personRequests: new PersonRequests(db, cipher, audit, consent, engagement, now),
    shownNames: new ShownNames(db, cipher, audit),
    bankHolidays,
    // Police cases: the case list, the timeline and the Victims' Code clock (duties to inform the victim).
    policeCases: new PoliceCases(db, cipher, audit, caseScope),
    caseTimeline: new CaseTimeline(db, cipher, audit, caseScope, duties, dutyLists, now),
    duties,
    dutyLists,
    dutyCompliance: new DutyCompliance(db, now),
    caseMessages,
    contactRequests,
    // Attrition watch (engagement, the at-risk list) and officer training records.
    engagement,
    atRisk: new AtRiskList(db, now),
    training: new OfficerTraining(db, cipher, audit, now),
    // Safe-place appointments in police cases.
    appointments: new AppointmentService(db, cipher, audit, caseScope, bankHolidays, now),
    metrics,
    // Readiness for load balancers (/readyz).
    health: new HealthService(database),
    jobQueue,
    jobRunner,
    jobsOverview,
    // Each support organisation's retention schedule (applied nightly by retention.apply), legal holds,
    // erasing at the person's request, and erasing a person record with a second member of staff.
    retention: new RetentionService(db, audit, erasure, legalHolds, now),
    legalHolds,
    personErasure: new PersonErasure(db, cipher, audit, erasure, now),
    // Nightly copies of the database into BACKUP_DIR (the job backup.scheduled), when it is set.
    backups: config.backups ? new BackupService(database, config.pgClientTools, config.backups, now) : undefined,
    /** Where job failures are reported (the server's logger): type, id and a short code only. */
    reportJobFailuresTo(report: (context: { type: string; jobId: string; code: string; willRetry: boolean }) => void) {
      jobFailures.report = report;
    },
    async close() {
      stopWatchingKeys();
      await jobRunner.stop();
      metrics.close();
      await memberAlerts.close();
      await database.close();
    },
  };
  defineJobs(jobRunner, services);
  return services;
}

export type Services = Awaited<ReturnType<typeof buildServices>>;
