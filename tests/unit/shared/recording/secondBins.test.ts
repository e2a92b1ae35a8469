import { describe, expect, it } from 'vitest';
import { SecondBins } from '../../../../src/shared/recording/secondBins';

const T0 = Date.UTC(2026, 0, 1, 12, 0, 0, 300);

describe('SecondBins (wide CSV and FIT per-second rule)', () => {
  it('keeps the value with the latest reception time in each UTC second, even if it arrived first', () => {
    const b = new SecondBins(T0);
    b.add('hr', T0 + 800, 121); // 12:00:01.100
    b.add('hr', T0 + 750, 120); // 12:00:01.050, delivered late
    b.add('hr', T0 + 100, 119); // 12:00:00.400
    expect(b.get('hr', 0)).toBe(119);
    expect(b.get('hr', 1)).toBe(121);
  });

  it('leaves seconds without data empty: no carry-forward, no zero', () => {
    const b = new SecondBins(T0);
    b.add('hr', T0, 130);
    b.add('hr', T0 + 5000, 131);
    expect(b.binCount).toBe(6);
    for (let bin = 1; bin < 5; bin++) expect(b.get('hr', bin)).toBeUndefined();
    expect(b.get('hr', 5)).toBe(131);
  });

  it('ignores samples before the first second and grows for long sessions', () => {
    const b = new SecondBins(T0);
    expect(b.add('p', T0 - 1000, 200)).toBe(false);
    expect(b.add('p', T0 + 3600_000, 250)).toBe(true);
    expect(b.binCount).toBe(3601);
    expect(b.get('p', 3600)).toBe(250);
    expect(b.keys()).toEqual(['p']);
  });
});
