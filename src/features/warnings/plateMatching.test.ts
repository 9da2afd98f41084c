import { describe, expect, it } from 'vitest';
import { anyPlateFits, isPartialPlate, maskedForms, newestFirst } from './plateMatching.ts';

describe('matching a checked plate against warnings', () => {
  it('compares a plate with unknown characters, and looks a whole one up', () => {
    expect(isPartialPlate('KX???BC')).toBe(true);
    expect(isPartialPlate('?X12ABC')).toBe(true);
    expect(isPartialPlate('KX12ABC')).toBe(false);
  });

  it('looks a whole plate up under each mask of its length in use, and no other', () => {
    expect(maskedForms('KX12ABC', ['0000000', '0011100', '00111', '1100000000'])).toEqual(['KX12ABC', 'KX???BC']);
    expect(maskedForms('KX12ABC', ['1100000'])).toEqual(['??12ABC']);
    expect(maskedForms('KX12ABC', [])).toEqual([]);
    expect(maskedForms('AB1', ['0011100'])).toEqual([]);
  });

  it('finds a partial plate in any warning plate that fits it, whole or partial', () => {
    expect(anyPlateFits(['LM55XYZ', 'KX12ABC'], 'KX???BC')).toBe(true);
    expect(anyPlateFits(['KX1?ABC'], 'KX???BC')).toBe(true);
    expect(anyPlateFits(['KX12ABD', 'KY12ABC', 'KX12AB'], 'KX???BC')).toBe(false);
    expect(anyPlateFits([], 'KX???BC')).toBe(false);
  });

  it('lists the newest warning first', () => {
    const older = { id: 'a', publishedAt: '2026-03-01T10:00:00.000Z' };
    const newer = { id: 'b', publishedAt: '2026-05-01T10:00:00.000Z' };
    const newest = { id: 'c', publishedAt: '2026-06-01T10:00:00.000Z' };
    expect(
      newestFirst(
        new Map([
          ['a', older],
          ['c', newest],
          ['b', newer],
        ]).values(),
      ),
    ).toEqual([newest, newer, older]);
    expect(newestFirst([older, newest])).toEqual([newest, older]);
  });
});
