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

  describe('TRUST_PROXY', () => {
    it('trusts no proxy by default', () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      expect(loadConfig({ TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    });

    it('takes a hop count or a list of proxy addresses and CIDR ranges', () => {
      expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
      expect(loadConfig({ TRUST_PROXY: '2' }).trustProxy).toBe(2);
      expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24,fd00::/8' }).trustProxy).toEqual([
        '10.0.0.5',
        '10.0.1.0/24',
        'fd00::/8',
      ]);
    });

    it('refuses true at start-up, saying what to set instead', () => {
      expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(ConfigError);
      expect(() => loadConfig({ TRUST_PROXY: 'true' })).toThrow(
        /TRUST_PROXY: true would let any client choose its own address.*TRUST_PROXY=1.*TRUST_PROXY=10\.0\.0\.5,10\.0\.1\.0\/24/,
      );
    });

    it.each(['yes', '10.0.0.300', '10.0.0.0/33', 'fd00::/129', '10.0.0.1/8/8', '11', ','])(
      'refuses %s naming the variable',
      (value) => {
        expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(/TRUST_PROXY: .*set the number of proxies/);
      },
    );
  });
});
