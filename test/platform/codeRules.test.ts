import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import * as prettier from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';

// The rules in ARCHITECTURE.md are only worth what enforces them: each check
// here plants a violation and proves that `npm run lint` would fail on it.
const root = path.resolve(import.meta.dirname, '../..');
const run = promisify(execFile);

describe('SQL only in repositories (ESLint)', () => {
  const eslint = new ESLint({ cwd: root });
  const sqlRuleProblems = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
  };
  const query = [
    "import { sql, type Kysely } from 'kysely';",
    "import type { DB } from '../../platform/db/schema.ts';",
    'export async function count(db: Kysely<DB>) {',
    "  await db.selectFrom('reports').select(sql<number>`count(*)`.as('n')).execute();",
    "  await db.deleteFrom('sessions').execute();",
    '}',
    '',
  ].join('\n');

  it('refuses a query builder call or raw sql in a service', async () => {
    const problems = await sqlRuleProblems(query, 'src/features/reporting/plantedService.ts');
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(/repository/);
  });

  it('allows them in a repository and in the database platform', async () => {
    expect(await sqlRuleProblems(query, 'src/features/reporting/plantedRepository.ts')).toEqual([]);
    expect(await sqlRuleProblems(query, 'src/platform/db/plantedMigration.ts')).toEqual([]);
  });
});

describe('import boundaries (dependency-cruiser)', () => {
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'liaison-boundaries-'));
  afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(scratch, file)), { recursive: true });
    fs.writeFileSync(path.join(scratch, file), text);
  };
  write('tsconfig.json', JSON.stringify({ compilerOptions: { allowImportingTsExtensions: true, noEmit: true } }));
  write('src/features/reporting/reportRepository.ts', 'export const reportRepository = {};\n');
  write('src/features/reporting/index.ts', 'export const reporting = 1;\n');
  write('src/features/vocabulary/index.ts', 'export const WORDS = {};\n');

  const cruise = async (files: Record<string, string>) => {
    for (const [file, text] of Object.entries(files)) write(file, text);
    const bin = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
    const config = path.join(root, '.dependency-cruiser.cjs');
    try {
      const { stdout } = await run(process.execPath, [bin, 'src', '--config', config, '-T', 'err'], { cwd: scratch });
      return { failed: false, output: stdout };
    } catch (error) {
      const { stdout } = error as { stdout: string };
      return { failed: true, output: stdout };
    } finally {
      for (const file of Object.keys(files)) fs.rmSync(path.join(scratch, file));
    }
  };

  it('fails when a lower tier imports a higher one, or anyone imports a repository of another feature', async () => {
    const upward = await cruise({
      'src/features/vocabulary/planted.ts':
        "import { reporting } from '../reporting/index.ts';\nexport { reporting };\n",
    });
    expect(upward.failed).toBe(true);
    expect(upward.output).toContain('tier-vocabulary');

    const intoRepository = await cruise({
      'src/features/members/planted.ts':
        "import { reportRepository } from '../reporting/reportRepository.ts';\nexport { reportRepository };\n",
    });
    expect(intoRepository.failed).toBe(true);
    expect(intoRepository.output).toContain('tier-members');
  });

  it('fails when the platform imports a feature, or a migration imports application code', async () => {
    const platform = await cruise({
      'src/platform/planted.ts': "import { WORDS } from '../features/vocabulary/index.ts';\nexport { WORDS };\n",
    });
    expect(platform.output).toContain('platform-knows-no-feature');
    const migration = await cruise({
      'src/platform/db/migrations/planted.ts':
        "import { WORDS } from '../../../features/vocabulary/index.ts';\nexport { WORDS };\n",
    });
    expect(migration.output).toContain('migrations-stand-alone');
  });

  it('fails on a folder that is in no tier, and on a cycle', async () => {
    const unplaced = await cruise({
      'src/features/newthing/a.ts': "import { WORDS } from '../vocabulary/index.ts';\nexport const a = WORDS;\n",
    });
    expect(unplaced.output).toContain('feature-listed-in-a-tier');
    const usingUnplaced = await cruise({
      'src/features/newthing/b.ts': 'export const b = 1;\n',
      'src/features/members/planted.ts': "import { b } from '../newthing/b.ts';\nexport { b };\n",
    });
    expect(usingUnplaced.output).toContain('feature-listed-in-a-tier');
    const cycle = await cruise({
      'src/features/vocabulary/a.ts': "import { b } from './b.ts';\nexport const a = () => b;\n",
      'src/features/vocabulary/b.ts': "import { a } from './a.ts';\nexport const b = () => a;\n",
    });
    expect(cycle.output).toContain('no-circular');
  });

  it('passes a higher tier using a lower one through its index.ts', async () => {
    const fine = await cruise({
      'src/features/members/planted.ts': "import { reporting } from '../reporting/index.ts';\nexport { reporting };\n",
    });
    expect(fine.failed, fine.output).toBe(false);
  });
});

describe('one format (Prettier)', () => {
  it('finds unformatted code', async () => {
    const filepath = path.join(root, 'src/features/reporting/planted.ts');
    const options = { ...(await prettier.resolveConfig(filepath)), filepath };
    expect(await prettier.check("export const a = { b:1,c :'two' }\n", options)).toBe(false);
    expect(await prettier.check("export const a = { b: 1, c: 'two' };\n", options)).toBe(true);
  });
});

describe('comments', () => {
  it('never cite a tracker entry by its number: they explain the code itself', () => {
    const cited: string[] = [];
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else if (/\.(ts|js|njk|scss)$/.test(entry.name)) {
          fs.readFileSync(full, 'utf8')
            .split('\n')
            .forEach((line, i) => {
              if (/\bissues? #?\d+/i.test(line)) cited.push(`${path.relative(root, full)}:${i + 1}`);
            });
        }
      }
    };
    for (const dir of ['src', 'test', 'bench', 'scripts', 'bin']) walk(path.join(root, dir));
    expect(cited).toEqual([]);
  });
});
