import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, COMPILED_ENV, ensureCompiled } from '../../test/support/compiled.ts';

const bin = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'liaison.js');

describe('liaison serve on a fresh data directory (what npm start runs)', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-serve-'));
  beforeAll(ensureCompiled, BUILD_TIMEOUT_MS);
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('creates the database and a private master key, prints a one-time setup link, serves, and stops cleanly', async () => {
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, PORT: '0', LOG_LEVEL: 'info', ...COMPILED_ENV },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const deadline = Date.now() + 30_000;
    // The log line (written asynchronously) and the console line can arrive in either order: wait for both.
    const started = () => /\/setup\/[A-Za-z0-9_-]{43}/.test(output) && /listening at http:/.test(output);
    while (!started() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    const port = /listening at http:\/\/127\.0\.0\.1:(\d+)/.exec(output)?.[1];
    expect(port, output).toBeDefined();
    const link = /(http:\/\/\S+\/setup\/[A-Za-z0-9_-]{43})/.exec(output)?.[1];
    expect(link, output).toBeDefined();
    // The setup link goes to the console, never into a log line.
    expect(output.split('\n').filter((line) => line.startsWith('{') && line.includes('/setup/'))).toEqual([]);

    const keyFile = path.join(dataDir, 'master.key');
    expect(fs.statSync(keyFile).mode & 0o777).toBe(0o600);
    expect(fs.existsSync(path.join(dataDir, 'liaison.sqlite'))).toBe(true);

    const base = `http://127.0.0.1:${port}`;
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const setup = await fetch(`${base}${new URL(link!).pathname}`);
    expect(setup.status).toBe(200);
    expect(await setup.text()).toContain('Set up Liaison');

    child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });
});
