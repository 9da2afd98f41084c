import crypto from 'node:crypto';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import { beforeAll } from 'vitest';
import { createApp } from '../../src/app.ts';
import { runCli } from '../../src/cli/main.ts';
import { buildServices, type Services } from '../../src/composition.ts';
import { loadConfig } from '../../src/config.ts';
import { openDatabase, type Database } from '../../src/platform/db/database.ts';
import { BUILD_TIMEOUT_MS, COMPILED_ENV, ensureCompiled } from '../support/compiled.ts';
import { createScratchDatabase, type ScratchDatabase, type TestDatabaseKind } from '../support/databases.ts';

const run = promisify(execFile);
const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'liaison.js');

// Every test file using this harness has dist/ built before its tests run `liaison` (see spawn).
beforeAll(ensureCompiled, BUILD_TIMEOUT_MS);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Tables a command can change: snapshotted to prove a refused command changed nothing. */
const TABLES = [
  'organisations',
  'users',
  'invitations',
  'api_tokens',
  'audit_entries',
  'audit_head',
  'data_keys',
] as const;

/**
 * A scratch database of one kind and the environment the `liaison` command
 * reads, as an operator would set it: DATA_DIR for SQLite; DATABASE_URL plus
 * LIAISON_MASTER_KEY (required there) for PostgreSQL.
 */
export class LiaisonHarness {
  /** Everything any command printed, to prove no secret leaked that was not meant to be printed. */
  readonly printed: string[] = [];

  private constructor(
    readonly kind: TestDatabaseKind,
    readonly scratch: ScratchDatabase,
    readonly env: Record<string, string>,
    readonly database: Database,
  ) {}

  static async start(kind: TestDatabaseKind): Promise<LiaisonHarness> {
    const scratch = await createScratchDatabase(kind);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: scratch.dataDir,
      LOG_LEVEL: 'silent',
      ...COMPILED_ENV,
      ...(scratch.target.dialect === 'postgres'
        ? { DATABASE_URL: scratch.target.url, LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64') }
        : {}),
    };
    return new LiaisonHarness(kind, scratch, env, openDatabase(scratch.target));
  }

  /** Runs `node bin/liaison.js ARGS` as a separate process, as `npx liaison` does. */
  async spawn(...args: string[]): Promise<CliResult> {
    let result: CliResult;
    try {
      const { stdout, stderr } = await run(process.execPath, [bin, ...args], { env: this.env, timeout: 60_000 });
      result = { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      result = { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
    this.printed.push(result.stdout, result.stderr);
    return result;
  }

  /** The same entry point in this process: quicker, for the long tables of refusals. */
  async inProcess(...args: string[]): Promise<CliResult> {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(args, this.env, { out: (line) => out.push(line), err: (line) => err.push(line) });
    const result = { code, stdout: out.map((l) => `${l}\n`).join(''), stderr: err.map((l) => `${l}\n`).join('') };
    this.printed.push(result.stdout, result.stderr);
    return result;
  }

  /** Every row of every table a command could change. */
  async snapshot(): Promise<string> {
    const parts = await Promise.all(
      TABLES.map(async (table) => [
        table,
        (await this.database.db.selectFrom(table).selectAll().execute()).map((r) => JSON.stringify(r)).sort(),
      ]),
    );
    return JSON.stringify(parts);
  }

  /** The server's application on the same configuration, to check what the command made really works. */
  async withApp<T>(use: (app: FastifyInstance, services: Services) => Promise<T>): Promise<T> {
    const services = await buildServices(loadConfig(this.env), { migrate: false });
    const app = await createApp(services);
    await app.ready();
    try {
      return await use(app, services);
    } finally {
      await app.close();
      await services.close();
    }
  }

  lastLine(output: string): string {
    return output.trimEnd().split('\n').at(-1) ?? '';
  }

  async close(): Promise<void> {
    await this.database.close();
    await this.scratch.drop();
  }
}
