import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config.ts';

describe('backup configuration', () => {
  it('is off unless BACKUP_DIR is set, and keeps a week of copies by default', () => {
    expect(loadConfig({}).backups).toBeUndefined();
    expect(loadConfig({ BACKUP_DIR: 'backups' }).backups).toEqual({ dir: path.resolve('backups'), keep: 7 });
    expect(loadConfig({ BACKUP_DIR: '/srv/backups', BACKUP_KEEP: '30' }).backups).toEqual({
      dir: '/srv/backups',
      keep: 30,
    });
  });

  it.each([
    [{ BACKUP_DIR: '/srv/backups', BACKUP_KEEP: '0' }, 'BACKUP_KEEP: must be at least 1'],
    [{ BACKUP_DIR: '/srv/backups', BACKUP_KEEP: 'seven' }, 'BACKUP_KEEP'],
    [{ BACKUP_DIR: '/srv/backups', BACKUP_KEEP: '2.5' }, 'BACKUP_KEEP: must be a whole number of copies'],
    [{ BACKUP_DIR: '   ' }, 'BACKUP_DIR: must name a folder'],
    [{ BACKUP_KEEP: '7' }, 'BACKUP_KEEP: only used with BACKUP_DIR, which is not set'],
    [{ PG_BIN_DIR: '' }, 'PG_BIN_DIR: must name a folder'],
  ])('fails fast naming the variable: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('finds pg_dump and pg_restore in PG_BIN_DIR, else on the PATH it was given', () => {
    expect(loadConfig({ PATH: '/usr/bin:/bin', HOME: '/home/liaison' }).pgClientTools).toEqual({
      binDir: undefined,
      path: '/usr/bin:/bin',
      home: '/home/liaison',
    });
    expect(loadConfig({ PG_BIN_DIR: '/usr/lib/postgresql/16/bin' }).pgClientTools.binDir).toBe(
      '/usr/lib/postgresql/16/bin',
    );
  });
});
