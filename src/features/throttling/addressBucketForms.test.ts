import { describe, expect, it } from 'vitest';
import { addressBucket } from './addressBucket.ts';

describe('the address a per-address limit counts, however it is written', () => {
  it('reads an IPv4 address carried in IPv6 whatever its octets', () => {
    expect(addressBucket('::ffff:198.51.100.77')).toBe('198.51.100.77');
    expect(addressBucket('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(addressBucket(' 198.51.100.7 ')).toBe('198.51.100.7');
  });

  it('expands "::" at the front to the groups it stands for', () => {
    expect(addressBucket('::1:2:3:4:5:6:7')).toBe('0:1:2:3::/64');
    expect(addressBucket('::a:b:c:d:e:f')).toBe('0:0:a:b::/64');
    expect(addressBucket('1::2:3:4:5:6:7')).toBe('1:0:2:3::/64');
    expect(addressBucket('2001:db8::3:4:5:6:7')).toBe('2001:db8:0:3::/64');
  });

  it('counts a trailing IPv4 part as the two groups it is', () => {
    expect(addressBucket('::1:2:3:4:5:10.20.30.40')).toBe('0:1:2:3::/64');
    expect(addressBucket('::1:2:3:4:198.51.100.7')).toBe('0:0:1:2::/64');
  });

  it('drops a zone index', () => {
    expect(addressBucket('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
    expect(addressBucket('fe80::1%eth0')).toBe(addressBucket('fe80::2'));
  });
});
