/** The scenario model: curves, events, validation messages. */
import { describe, expect, it } from 'vitest';
import { curveBaseValue, isDroppedOut, nextBeat, parseScenario, rrTicksToMs } from '../../../src/shared/scenario';
import { BUILTIN_SCENARIOS } from '../../../src/shared/scenarios';

describe('scenario model', () => {
  it('evaluates curves', () => {
    expect(curveBaseValue({ type: 'intervals', low: 100, high: 300, workS: 30, restS: 30 }, 10)).toBe(300);
    expect(curveBaseValue({ type: 'intervals', low: 100, high: 300, workS: 30, restS: 30 }, 40)).toBe(100);
    expect(curveBaseValue({ type: 'ramp', from: 2, to: 4, overS: 100 }, 50)).toBe(3);
    expect(curveBaseValue({ type: 'ramp', from: 2, to: 4, overS: 100 }, 500)).toBe(4);
  });

  it('knows when a device is dropped out', () => {
    const events = [{ type: 'dropout' as const, atS: 10, forS: 5 }, { type: 'dropout' as const, atS: 30 }, { type: 'reconnect' as const, atS: 40 }];
    expect([5, 12, 16, 35, 45].map((t) => isDroppedOut(events, t))).toEqual([false, true, false, true, false]);
  });

  it('generates beats whose RR is exact in 1/1024 s ticks', () => {
    const { rrTicks } = nextBeat({ lastBeatTicks: 0, beatCount: 0 }, 60);
    expect(rrTicks).toBe(1024);
    expect(rrTicksToMs(rrTicks)).toBe(1000);
    expect(rrTicksToMs(882)).toBeCloseTo(861.328125, 9);
  });

  it('accepts every built-in scenario', () => {
    for (const s of Object.values(BUILTIN_SCENARIOS)) expect(parseScenario(s).ok).toBe(true);
  });

  it('explains what is wrong with a bad scenario', () => {
    const r = parseScenario({ name: 'x', devices: [{ id: 'a', name: 'A', kind: 'toaster', metrics: {} }] });
    expect(r.ok).toBe(false);
    expect(!r.ok && r.message).toMatch(/devices\.0\.kind/);
    const dup = parseScenario({ name: 'x', devices: [{ id: 'a', name: 'A', kind: 'hr', metrics: {} }, { id: 'a', name: 'B', kind: 'hr', metrics: {} }] });
    expect(!dup.ok && dup.message).toMatch(/appears twice/);
  });
});
