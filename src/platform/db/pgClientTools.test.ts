import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BackupError, pgDump, pgRestore, type PgClientTools } from './pgClientTools.ts';

/**
 * Stand-ins for pg_dump and pg_restore that say which version they are and
 * write down how they were called, so what reaches the tools (and what never
 * does) can be checked without a server.
 */
describe('pg_dump and pg_restore are called safely', () => {
  let dir: string;
  const called = () => JSON.parse(fs.readFileSync(path.join(dir, 'called.json'), 'utf8')) as Record<string, string>;

  function fakeTool(name: string, version: number, behaviour: 'ok' | 'fail'): void {
    const script = `#!/bin/sh
if [ "$1" = "--version" ]; then echo "${name} (PostgreSQL) ${version}.3 (Debian)"; exit 0; fi
node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ argv: process.argv.slice(2).join(" "), password: process.env.PGPASSWORD ?? "", path: process.env.PATH ?? "" }))' "${dir}/called.json" "$@"
${behaviour === 'fail' ? 'echo "could not connect with password $PGPASSWORD" >&2; exit 1' : 'exit 0'}
`;
    fs.writeFileSync(path.join(dir, name), script, { mode: 0o755 });
  }

  const tools = (): PgClientTools => ({ binDir: dir, path: process.env.PATH, home: undefined });
  const url = 'postgres://liaison:s3cret%20pass%40word@db.internal:5432/liaison?sslmode=require';

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-pgtools-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('gives the password in the environment only, never on the command line', async () => {
    fakeTool('pg_dump', 15, 'ok');
    await pgDump(url, path.join(dir, 'out.pgdump'), 15, tools());
    const call = called();
    expect(call.password).toBe('s3cret pass@word');
    expect(call.argv).not.toContain('s3cret');
    expect(call.argv).toBe(
      `--format=custom --no-password --file=${path.join(dir, 'out.pgdump')} --dbname=postgres://liaison@db.internal:5432/liaison?sslmode=require`,
    );
    expect(call.path).toBe(process.env.PATH);

    fakeTool('pg_restore', 15, 'ok');
    await pgRestore(url, path.join(dir, 'in.pgdump'), 15, tools());
    expect(called().argv).toBe(
      `--no-owner --no-privileges --clean --if-exists --single-transaction --exit-on-error --no-password --dbname=postgres://liaison@db.internal:5432/liaison?sslmode=require ${path.join(dir, 'in.pgdump')}`,
    );
  });

  it('refuses client tools older than the server, naming both versions', async () => {
    fakeTool('pg_dump', 14, 'ok');
    fs.rmSync(path.join(dir, 'called.json'), { force: true });
    const refused = pgDump(url, path.join(dir, 'out.pgdump'), 16, tools());
    await expect(refused).rejects.toThrow(BackupError);
    await expect(refused).rejects.toThrow(
      'pg_dump is version 14, older than the PostgreSQL server (version 16). Install the client tools of version 16 (on Debian: postgresql-client-16)',
    );
    // It stopped before connecting.
    expect(fs.existsSync(path.join(dir, 'called.json'))).toBe(false);
    fakeTool('pg_restore', 15, 'ok');
    await expect(pgRestore(url, path.join(dir, 'in.pgdump'), 16, tools())).rejects.toMatchObject({
      code: 'pg-tools-too-old',
    });
  });

  it('passes on what a failing tool said, with the password blanked out', async () => {
    fakeTool('pg_dump', 15, 'fail');
    const failed = await pgDump(url, path.join(dir, 'out.pgdump'), 15, tools()).catch((error: unknown) => error);
    expect(failed).toBeInstanceOf(BackupError);
    expect((failed as BackupError).message).toBe('pg_dump failed:\ncould not connect with password ********');
    expect((failed as BackupError).code).toBe('pg_dump-failed');
  });

  it('says where it looked when the tools are not installed', async () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-no-tools-'));
    try {
      await expect(pgDump(url, 'x', 15, { binDir: empty, path: undefined, home: undefined })).rejects.toMatchObject({
        code: 'pg-tools-missing',
        message: `pg_dump was not found in PG_BIN_DIR (${empty}): install the PostgreSQL client tools of the server's major version, or set PG_BIN_DIR to the folder that holds them.`,
      });
      await expect(pgDump(url, 'x', 15, { binDir: undefined, path: empty, home: undefined })).rejects.toThrow(
        'pg_dump was not found on PATH',
      );
    } finally {
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
