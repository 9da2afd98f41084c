import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { BUILD_TIMEOUT_MS, COMPILED_ENV, ensureCompiled } from '../support/compiled.ts';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('npx liaison', () => {
  beforeAll(ensureCompiled, BUILD_TIMEOUT_MS);

  it('is declared as the package bin: an executable node script', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    const bin = path.join(root, pkg.bin.liaison!);
    expect(fs.readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node\n')).toBe(true);
    expect(fs.statSync(bin).mode & 0o111).toBe(0o111);
  });

  it('runs from the project folder after npm install, with nothing else set up', async () => {
    const { stdout } = await promisify(execFile)('npx', ['--no-install', 'liaison', 'help'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? root, ...COMPILED_ENV },
      timeout: 60_000,
    });
    expect(stdout).toContain('Usage: liaison <command>');
  });
});
