import { execFile } from 'node:child_process';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';

/** Where pg_dump and pg_restore are found and what they run with (Config: PG_BIN_DIR, PATH, HOME). */
export interface PgClientTools {
  /** A folder holding pg_dump and pg_restore; unset, they are looked for on `path`. */
  readonly binDir: string | undefined;
  readonly path: string | undefined;
  /** For the tools' own files (~/.pgpass, client certificates in ~/.postgresql/). */
  readonly home: string | undefined;
}

/** A backup or restore that cannot go on; the message is safe to print (never a URL or a password). */
export class BackupError extends Error {
  constructor(
    message: string,
    readonly code = 'backup-failed',
  ) {
    super(message);
  }
}

type Tool = 'pg_dump' | 'pg_restore';

/** The server's major version (15 for 15.4), from `server_version_num`. */
export async function pgServerMajor<T>(db: Kysely<T>): Promise<number> {
  const { rows } = await sql<{ server_version_num: string }>`show server_version_num`.execute(db);
  return Math.floor(Number(rows[0]?.server_version_num) / 10_000);
}

/**
 * How the tools reach the database: the URL without its password on the
 * command line (which `ps` shows to everyone on the machine), the password in
 * the child's own environment (readable only by this user).
 */
function connection(url: string, tools: PgClientTools): { dbname: string; env: Record<string, string> } {
  const parsed = new URL(url);
  const password = decodeURIComponent(parsed.password);
  parsed.password = '';
  const env: Record<string, string> = { LC_ALL: 'C', PGAPPNAME: 'liaison-backup', PGCONNECT_TIMEOUT: '10' };
  if (tools.path !== undefined) env.PATH = tools.path;
  if (tools.home !== undefined) env.HOME = tools.home;
  if (password) env.PGPASSWORD = password;
  return { dbname: parsed.toString(), env };
}

function run(
  tool: Tool,
  args: string[],
  tools: PgClientTools,
  env: Record<string, string>,
  secret?: string,
): Promise<string> {
  const file = tools.binDir ? path.join(tools.binDir, tool) : tool;
  return new Promise((resolve, reject) => {
    execFile(file, args, { env, maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve(stdout);
      if ((error as NodeJS.ErrnoException).code === 'ENOENT')
        return reject(
          new BackupError(
            `${tool} was not found ${tools.binDir ? `in PG_BIN_DIR (${tools.binDir})` : 'on PATH'}: install the PostgreSQL client tools of the server's major version, or set PG_BIN_DIR to the folder that holds them.`,
            'pg-tools-missing',
          ),
        );
      // The tools never print the password, but a message quoting a connection string might.
      let said = stderr.trim().split('\n').slice(-5).join('\n');
      if (secret) said = said.split(secret).join('********');
      reject(
        new BackupError(`${tool} failed${said ? `:\n${said}` : ` (exit ${String(error.code)})`}`, `${tool}-failed`),
      );
    });
  });
}

/** The tool's major version, from `--version` ("pg_dump (PostgreSQL) 15.4 (Debian ...)"). */
async function clientMajor(tool: Tool, tools: PgClientTools): Promise<number> {
  const said = await run(tool, ['--version'], tools, connection('postgres://localhost', tools).env);
  const match = /\(PostgreSQL\)\s+(\d+)/.exec(said);
  if (!match) throw new BackupError(`${tool} --version did not say its version ("${said.trim().slice(0, 80)}")`);
  return Number(match[1]);
}

/** An older client cannot read a newer server's catalogue (pg_dump) or may lack what its dump needs (pg_restore). */
async function requireClientFor(tool: Tool, serverMajor: number, tools: PgClientTools): Promise<void> {
  const client = await clientMajor(tool, tools);
  if (client < serverMajor)
    throw new BackupError(
      `${tool} is version ${client}, older than the PostgreSQL server (version ${serverMajor}). Install the client tools of version ${serverMajor} (on Debian: postgresql-client-${serverMajor}) and put them on PATH or set PG_BIN_DIR to their folder.`,
      'pg-tools-too-old',
    );
}

/** `pg_dump --format=custom` of the database at `url` into `file` (one consistent snapshot; writers go on). */
export async function pgDump(url: string, file: string, serverMajor: number, tools: PgClientTools): Promise<void> {
  await requireClientFor('pg_dump', serverMajor, tools);
  const { dbname, env } = connection(url, tools);
  await run(
    'pg_dump',
    ['--format=custom', '--no-password', `--file=${path.resolve(file)}`, `--dbname=${dbname}`],
    tools,
    env,
    env.PGPASSWORD,
  );
}

/** The tables a custom-format dump holds; refuses a file pg_restore cannot read. */
export async function pgDumpTables(file: string, tools: PgClientTools): Promise<string[]> {
  const listing = await run('pg_restore', ['--list', path.resolve(file)], tools, connection('postgres://x', tools).env);
  // Lines such as "246; 1259 155880 TABLE public alert_outbox postgres".
  return [...listing.matchAll(/^\d+; \d+ \d+ TABLE \S+ (\S+) /gm)].map((m) => m[1]!);
}

/**
 * Restores a custom-format dump into the database at `url` in one transaction
 * (all or nothing), dropping first what the dump is about to create, owned by
 * the connecting user (the dump's owners and grants may not exist here).
 */
export async function pgRestore(url: string, file: string, serverMajor: number, tools: PgClientTools): Promise<void> {
  await requireClientFor('pg_restore', serverMajor, tools);
  const { dbname, env } = connection(url, tools);
  await run(
    'pg_restore',
    [
      '--no-owner',
      '--no-privileges',
      '--clean',
      '--if-exists',
      '--single-transaction',
      '--exit-on-error',
      '--no-password',
      `--dbname=${dbname}`,
      path.resolve(file),
    ],
    tools,
    env,
    env.PGPASSWORD,
  );
}
