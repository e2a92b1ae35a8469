import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bestOffset, estimateOffset } from '../../../../src/shared/recording/clock';

describe('estimateOffset (NTP-style, one exchange)', () => {
  it('finds the true offset when the two legs take equal time', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e12, max: 2e12, noNaN: true }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 500, noNaN: true }),
        (t0, trueOffset, legMs) => {
          const e = estimateOffset(t0, t0 + legMs + trueOffset, t0 + 2 * legMs)!;
          // epoch-ms doubles near 1.7e12 carry ~0.25 µs resolution: 1 µs tolerance
          expect(Math.abs(e.offsetMs - trueOffset)).toBeLessThan(1e-3);
          expect(Math.abs(e.rttMs - 2 * legMs)).toBeLessThan(1e-3);
        },
      ),
    );
  });

  it('stays within ± rtt/2 of the truth when the legs are asymmetric', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -5000, max: 5000, noNaN: true }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        fc.double({ min: 0, max: 300, noNaN: true }),
        (trueOffset, up, down) => {
          const t0 = 1.7e12;
          const e = estimateOffset(t0, t0 + up + trueOffset, t0 + up + down)!;
          expect(Math.abs(e.offsetMs - trueOffset)).toBeLessThanOrEqual(e.rttMs / 2 + 1e-3);
        },
      ),
    );
  });

  it('a web UI 2 s ahead over a 40 ms round trip', () => {
    expect(estimateOffset(1000, 3020, 1040)).toEqual({ offsetMs: 2000, rttMs: 40 });
  });

  it('rejects a reply received before it was sent (clock stepped) instead of returning nonsense', () => {
    expect(estimateOffset(1000, 3000, 900)).toBeNull();
    expect(estimateOffset(NaN, 3000, 900)).toBeNull();
  });

  it('prefers the exchange with the smallest round trip', () => {
    expect(bestOffset([{ offsetMs: 5, rttMs: 80 }, { offsetMs: 2, rttMs: 4 }, { offsetMs: 9, rttMs: 30 }])).toEqual({
      offsetMs: 2,
      rttMs: 4,
    });
    expect(bestOffset([])).toBeNull();
  });
});
