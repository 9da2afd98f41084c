import net from 'node:net';
import path from 'node:path';
import { z } from 'zod';

/**
 * All configuration comes from the environment, is parsed here once at start-up
 * and is frozen. Nothing else in the code reads process.env.
 */
const base64Key = z
  .string()
  .refine((value) => Buffer.from(value, 'base64').length === 32, 'must be 32 bytes encoded as base64');

/** "10.0.0.0/8, 127.0.0.1" → a list of CIDR blocks (a bare address is a /32 or /128). */
const cidrList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean),
  )
  .pipe(
    z
      .array(
        z.union([z.cidrv4(), z.cidrv6(), z.ipv4(), z.ipv6()], {
          message: 'must be a comma-separated list of addresses or CIDR blocks, e.g. 10.0.0.0/8,127.0.0.1',
        }),
      )
      .min(1),
  );

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must start with postgres:// or postgresql://')
    .optional(),
  LIAISON_MASTER_KEY: base64Key.optional(),
  PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  EXIT_URL: z.url({ protocol: /^https?$/ }).default('https://www.bbc.co.uk/weather'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  SERVICE_NAME: z.string().min(1).max(80).default('Support and reporting'),
  PUBLIC_PAGE_TITLE: z.string().min(1).max(80).default('Information'),
  TRUST_PROXY: z.string().trim().default('false'),
  WARNING_EXPIRY_MONTHS: z.coerce
    .number()
    .int('must be a whole number of months')
    .min(1, 'must be at least 1')
    .max(60, 'must be 60 or fewer')
    .default(12),
  // Email alerts to members about new warnings (features/members/memberAlerts.ts).
  SMTP_URL: z
    .url({ protocol: /^smtps?$/, message: 'must be an smtp:// or smtps:// URL, e.g. smtp://mail.example.org:587' })
    .optional(),
  ALERT_FROM: z.email({ message: 'must be an email address, e.g. notices@example.org' }).optional(),
  ALERT_SENDER_NAME: z
    .string()
    .trim()
    .min(1)
    .max(60)
    .regex(/^[^<>"\r\n]+$/, 'must not contain <, >, quotes or line breaks')
    .default('Notifications'),
  ALERT_SUBJECT: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .regex(/^[^\r\n]+$/, 'must be one line')
    .default('New notice'),
  // PostgreSQL pool and timeouts (platform/db/database.ts): a stuck lock or a dead server fails a
  // request within seconds instead of stalling every request behind it.
  DB_POOL_MAX: wholeNumber('connections', 1, 200).default(10),
  DB_CONNECT_TIMEOUT_MS: wholeNumber('milliseconds', 100, 60_000).default(5000),
  DB_STATEMENT_TIMEOUT_MS: wholeNumber('milliseconds', 0, 3_600_000).default(15_000),
  DB_LOCK_TIMEOUT_MS: wholeNumber('milliseconds', 0, 3_600_000).default(5000),
  DB_IDLE_IN_TRANSACTION_TIMEOUT_MS: wholeNumber('milliseconds', 0, 3_600_000).default(30_000),
  // Public report submissions per (hashed) address per hour; 0 turns the limit off.
  REPORT_SUBMISSION_LIMIT: wholeNumber('submissions', 0, 1_000_000).default(120),
  // The job runner (features/jobs/): whether `liaison serve` runs jobs too (off when `liaison worker`
  // runs them in a process of its own), and how often it looks for due work.
  JOBS_IN_SERVE: z.enum(['on', 'off'], { message: 'must be on or off' }).default('on'),
  JOB_POLL_MS: wholeNumber('milliseconds', 100, 600_000).default(5000),
  // Scheduled backups (features/backup/): where they go and how many are kept; off unless BACKUP_DIR is set.
  BACKUP_DIR: z.string().trim().min(1, 'must name a folder').optional(),
  BACKUP_KEEP: wholeNumber('copies', 1, 1000).optional(),
  // pg_dump and pg_restore (backups on PostgreSQL): found in PG_BIN_DIR, else on PATH; HOME for ~/.pgpass.
  PG_BIN_DIR: z.string().trim().min(1, 'must name a folder').optional(),
  PATH: z.string().optional(),
  HOME: z.string().optional(),
  // /metrics: off unless addresses (CIDRs) or a token are configured.
  METRICS_ALLOW: cidrList.optional(),
  METRICS_TOKEN: z.string().min(32, 'must be at least 32 characters').optional(),
});

/** A week of nightly copies. */
const DEFAULT_BACKUP_KEEP = 7;

function wholeNumber(unit: string, min: number, max: number) {
  return z.coerce
    .number()
    .int(`must be a whole number of ${unit}`)
    .min(min, `must be at least ${min}`)
    .max(max, `must be ${max} or fewer`);
}

export type Env = Record<string, string | undefined>;

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly databaseUrl: string | undefined;
  readonly masterKeyBase64: string | undefined;
  readonly publicUrl: string;
  readonly exitUrl: string;
  readonly logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  readonly serviceName: string;
  readonly publicPageTitle: string;
  /**
   * Which proxies' X-Forwarded-For entries to believe: false (none, the default), a number of
   * hops in front of the service, or the proxies' addresses and CIDR ranges. Never `true`, which
   * would believe the client's own left-most entry.
   */
  readonly trustProxy: TrustProxy;
  /** Months a published warning stays active before it expires. */
  readonly warningExpiryMonths: number;
  /** Cookies are Secure and __Host- prefixed unless the service is plain http on loopback. */
  readonly secureCookies: boolean;
  /** Email alerts to members; undefined when SMTP_URL is unset (alerts off, no email asked for). */
  readonly alerts: AlertConfig | undefined;
  /** PostgreSQL pool size and timeouts (ignored on SQLite). */
  readonly databasePool: DatabasePoolConfig;
  /** Public report submissions per address per hour; 0 means no limit. */
  readonly reportSubmissionLimit: number;
  /** The job runner: whether `serve` runs it, and how often it polls for due work. */
  readonly jobs: { readonly inServe: boolean; readonly pollMs: number };
  /** Who may read /metrics; undefined when neither METRICS_ALLOW nor METRICS_TOKEN is set (off). */
  readonly metrics: MetricsConfig | undefined;
  /** Nightly backups into a folder, keeping the newest `keep`; undefined when BACKUP_DIR is unset (off). */
  readonly backups: { readonly dir: string; readonly keep: number } | undefined;
  /** Where pg_dump and pg_restore are found, and the environment they run with. */
  readonly pgClientTools: {
    readonly binDir: string | undefined;
    readonly path: string | undefined;
    readonly home: string | undefined;
  };
}

export interface DatabasePoolConfig {
  readonly max: number;
  readonly connectTimeoutMs: number;
  /** 0 means no limit. */
  readonly statementTimeoutMs: number;
  readonly lockTimeoutMs: number;
  readonly idleInTransactionTimeoutMs: number;
}

export interface MetricsConfig {
  /** Addresses or CIDR blocks allowed without a token. */
  readonly allow: readonly string[];
  readonly token: string | undefined;
}

/** How warning alerts are sent. The subject and sender name are neutral: they never say what the service is. */
export interface AlertConfig {
  readonly smtpUrl: string;
  readonly from: string;
  readonly senderName: string;
  readonly subject: string;
}

export type TrustProxy = false | number | readonly string[];

export class ConfigError extends Error {}

const TRUST_PROXY_HELP =
  'set the number of proxies in front of the service (for one load balancer, TRUST_PROXY=1) or their addresses and ranges (TRUST_PROXY=10.0.0.5,10.0.1.0/24); false when clients connect directly';

/** A proxy address or CIDR range, as Fastify's proxy-addr accepts it. */
function isAddressOrRange(entry: string): boolean {
  const [address = '', prefix, extra] = entry.split('/');
  const family = net.isIP(address);
  if (!family || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

/** TRUST_PROXY, or the problem with it in words. */
export function parseTrustProxy(raw: string): TrustProxy | { problem: string } {
  const value = raw.trim().toLowerCase();
  if (value === 'false' || value === '' || value === '0') return false;
  if (value === 'true')
    return {
      problem: `true would let any client choose its own address (the left-most X-Forwarded-For entry) and escape every per-address limit: ${TRUST_PROXY_HELP}`,
    };
  if (/^\d+$/.test(value)) {
    const hops = Number(value);
    return hops <= 10
      ? hops
      : { problem: `${hops} hops is more proxies than any real deployment has: ${TRUST_PROXY_HELP}` };
  }
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  const bad = entries.find((e) => !isAddressOrRange(e));
  if (bad !== undefined || !entries.length)
    return { problem: `"${bad ?? raw}" is not an address or CIDR range: ${TRUST_PROXY_HELP}` };
  return Object.freeze(entries);
}

export function loadConfig(env: Env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const e = parsed.data;
  const publicUrl = (e.PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, '');
  const url = new URL(publicUrl);
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new ConfigError(
      'Invalid configuration:\n  PUBLIC_URL: must be https unless the host is localhost or 127.0.0.1',
    );
  }
  const trustProxy = parseTrustProxy(e.TRUST_PROXY);
  if (typeof trustProxy === 'object' && 'problem' in trustProxy)
    throw new ConfigError(`Invalid configuration:\n  TRUST_PROXY: ${trustProxy.problem}`);
  if (e.SMTP_URL && !e.ALERT_FROM) {
    throw new ConfigError(
      'Invalid configuration:\n  ALERT_FROM: required when SMTP_URL is set (the sender address of alert emails)',
    );
  }
  if (e.BACKUP_KEEP !== undefined && !e.BACKUP_DIR) {
    throw new ConfigError(
      'Invalid configuration:\n  BACKUP_KEEP: only used with BACKUP_DIR, which is not set (set BACKUP_DIR to the folder for nightly backups)',
    );
  }
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    masterKeyBase64: e.LIAISON_MASTER_KEY,
    publicUrl,
    exitUrl: e.EXIT_URL,
    logLevel: e.LOG_LEVEL,
    serviceName: e.SERVICE_NAME,
    publicPageTitle: e.PUBLIC_PAGE_TITLE,
    trustProxy,
    warningExpiryMonths: e.WARNING_EXPIRY_MONTHS,
    secureCookies: url.protocol === 'https:',
    databasePool: Object.freeze({
      max: e.DB_POOL_MAX,
      connectTimeoutMs: e.DB_CONNECT_TIMEOUT_MS,
      statementTimeoutMs: e.DB_STATEMENT_TIMEOUT_MS,
      lockTimeoutMs: e.DB_LOCK_TIMEOUT_MS,
      idleInTransactionTimeoutMs: e.DB_IDLE_IN_TRANSACTION_TIMEOUT_MS,
    }),
    reportSubmissionLimit: e.REPORT_SUBMISSION_LIMIT,
    jobs: Object.freeze({ inServe: e.JOBS_IN_SERVE === 'on', pollMs: e.JOB_POLL_MS }),
    backups: e.BACKUP_DIR
      ? Object.freeze({ dir: path.resolve(e.BACKUP_DIR), keep: e.BACKUP_KEEP ?? DEFAULT_BACKUP_KEEP })
      : undefined,
    pgClientTools: Object.freeze({
      binDir: e.PG_BIN_DIR === undefined ? undefined : path.resolve(e.PG_BIN_DIR),
      path: e.PATH,
      home: e.HOME,
    }),
    metrics:
      e.METRICS_ALLOW || e.METRICS_TOKEN
        ? Object.freeze({ allow: Object.freeze(e.METRICS_ALLOW ?? []), token: e.METRICS_TOKEN })
        : undefined,
    alerts:
      e.SMTP_URL && e.ALERT_FROM
        ? Object.freeze({
            smtpUrl: e.SMTP_URL,
            from: e.ALERT_FROM,
            senderName: e.ALERT_SENDER_NAME,
            subject: e.ALERT_SUBJECT,
          })
        : undefined,
  });
}
