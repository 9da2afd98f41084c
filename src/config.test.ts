import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('configuration', () => {
  it('has safe defaults for the embedded quick start', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.host).toBe('127.0.0.1');
    expect(config.databaseUrl).toBeUndefined();
    expect(config.publicUrl).toBe('http://127.0.0.1:3000');
    expect(config.exitUrl).toBe('https://www.bbc.co.uk/weather');
    expect(config.secureCookies).toBe(false);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('uses secure cookies when served over https', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://report.example.org/' }).secureCookies).toBe(true);
    expect(loadConfig({ PUBLIC_URL: 'https://report.example.org/' }).publicUrl).toBe('https://report.example.org');
  });

  it.each([
    [{ PORT: 'eighty' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ LIAISON_MASTER_KEY: 'dG9vIHNob3J0' }, 'LIAISON_MASTER_KEY'],
    [{ EXIT_URL: 'javascript:alert(1)' }, 'EXIT_URL'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    [{ PUBLIC_URL: 'http://report.example.org' }, 'PUBLIC_URL'],
  ])('fails fast naming the variable: %o', (env, variable) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(variable);
  });
});
