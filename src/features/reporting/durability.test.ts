import crypto from 'node:crypto';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, COMPILED_ENV, ensureCompiled } from '../../../test/support/compiled.ts';
import { createScratchDatabase, testDatabases, type ScratchDatabase } from '../../../test/support/databases.ts';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..', 'bin', 'liaison.js');

beforeAll(ensureCompiled, BUILD_TIMEOUT_MS);

describe.each(testDatabases)('a confirmed report survives kill -9 on %s', (kind) => {
  let scratch: ScratchDatabase;
  let env: Record<string, string>;
  beforeAll(async () => {
    scratch = await createScratchDatabase(kind);
    env = {
      PATH: process.env.PATH ?? '',
      DATA_DIR: scratch.dataDir,
      PORT: '0',
      LOG_LEVEL: 'info',
      ...COMPILED_ENV,
      ...(scratch.target.dialect === 'postgres'
        ? { DATABASE_URL: scratch.target.url, LIAISON_MASTER_KEY: crypto.randomBytes(32).toString('base64') }
        : {}),
    };
    execFileSync(
      process.execPath,
      [bin, 'org', 'create', '--kind', 'support', '--name', 'Safe Streets', '--slug', 'safe-streets'],
      { env },
    );
  });
  afterAll(async () => scratch.drop());

  async function start(): Promise<{ child: ChildProcess; base: string }> {
    const child = spawn(process.execPath, [bin, 'serve'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = Date.now() + 30_000;
    let port: string | undefined;
    while (!(port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1]) && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 50));
    expect(port, output).toBeDefined();
    return { child, base: `http://127.0.0.1:${port}` };
  }

  it('is there, with a working receipt code, after the server is killed straight after confirming it', async () => {
    const first = await start();
    const response = await fetch(`${first.base}/api/v1/reports`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'durability-test-key-0001' },
      body: JSON.stringify({ account: 'Killed right after confirming', consents: { support: true } }),
    });
    expect(response.status).toBe(201);
    const { reference, receiptCode } = (await response.json()) as { reference: string; receiptCode: string };
    // No graceful shutdown: the process dies the moment the confirmation has been sent.
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.on('exit', resolve));

    const second = await start();
    try {
      const self = await fetch(`${second.base}/api/v1/reports/self`, {
        headers: { authorization: `Receipt ${receiptCode}` },
      });
      expect(self.status).toBe(200);
      expect(await self.json()).toMatchObject({ reference, consents: { support: true } });
      // The same submission retried after the crash is still the same report.
      const retry = await fetch(`${second.base}/api/v1/reports`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'idempotency-key': 'durability-test-key-0001' },
        body: JSON.stringify({ account: 'Killed right after confirming', consents: { support: true } }),
      });
      expect(await retry.json()).toEqual({ reference, receiptCode });
    } finally {
      second.child.kill('SIGTERM');
      await new Promise((resolve) => second.child.on('exit', resolve));
    }
  });
});
