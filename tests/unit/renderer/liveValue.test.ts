/**
 * Regression (issue 15, small): a stale value (an RR interval from a strap that stopped sending)
 * stayed bright white until it disappeared. It is now dimmed after 2.5 s without a reading, and `--`
 * after the metric's stale timeout.
 */
import { describe, expect, it } from 'vitest';
import { DIM_AFTER_MS, liveValueView } from '../../../src/renderer/views/liveValue';

describe('live number view', () => {
  const t0 = 1_700_000_000_000;
  it('fresh, then dimmed, then gone', () => {
    const rr = { tMs: t0, value: 812.5 };
    expect(liveValueView('rrInterval', rr, t0 + 500)).toEqual({ text: '812.5', isStale: false });
    expect(liveValueView('rrInterval', rr, t0 + DIM_AFTER_MS + 1)).toEqual({ text: '812.5', isStale: true });
    expect(liveValueView('rrInterval', rr, t0 + 60_000)).toEqual({ text: '--', isStale: true });
    expect(liveValueView('heartRate', null, t0)).toEqual({ text: '--', isStale: true });
  });
});
