import { describe, expect, it } from 'vitest';
import { addressBucket } from './addressBucket.ts';

describe('the address a per-address limit counts', () => {
  it('is an IPv4 address itself, also when carried in IPv6', () => {
    expect(addressBucket('198.51.100.7')).toBe('198.51.100.7');
    expect(addressBucket('::ffff:198.51.100.7')).toBe('198.51.100.7');
  });

  it('is the /64 network of an IPv6 address, however it is written', () => {
    const bucket = addressBucket('2001:db8:85a3:42::1');
    expect(bucket).toBe('2001:db8:85a3:42::/64');
    for (const same of [
      '2001:0db8:85a3:0042:ffff:ffff:ffff:fffe',
      '2001:DB8:85A3:42:1234::9',
      '[2001:db8:85a3:42::abcd]',
      '2001:db8:85a3:42:0:0:1.2.3.4',
    ]) {
      expect(addressBucket(same)).toBe(bucket);
    }
    expect(addressBucket('2001:db8:85a3:43::1')).not.toBe(bucket);
    expect(addressBucket('::1')).toBe('0:0:0:0::/64');
  });
});
