/**
 * Garbage on the air never breaks the pipeline: random notification payloads for every sensor kind
 * go through the real manager; nothing throws, every rejected packet is counted and reported with a
 * GATT code, no NaN or Infinity reaches the sink, and the device stays live and keeps streaming.
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_METRICS } from '../../../../src/shared/scenario';
import { BLE_KINDS } from '../../../../src/shared/ble/profiles';
import { createHarness, simDevice } from './harness';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('malformed notifications', () => {
  it.each(BLE_KINDS)('random payloads to a %s are counted, never thrown, never turned into non-finite values', async (kind) => {
    const h = createHarness();
    const metrics = Object.fromEntries(Object.entries(DEFAULT_METRICS[kind]).map(([m, v]) => [m, { type: 'steady' as const, value: v }]));
    const p = h.bluetooth.addPeripheral(simDevice({ id: kind, name: `Fuzz ${kind}`, kind, metrics }));
    const added = await h.manager.addSensor(kind);
    if (!added.ok) throw new Error(added.message);
    await h.advance(1500);
    const payloads = fc.sample(fc.uint8Array({ minLength: 0, maxLength: 40 }), { numRuns: 2000, seed: 42 });
    for (const bytes of payloads) expect(() => p.injectMeasurement(bytes)).not.toThrow();
    const state = h.manager.get(added.value);
    expect(state?.status).toBe('live');
    expect(state?.badPackets).toBe(h.errors.length);
    expect(h.errors.every((e) => e.error.code === 'GATT_SHORT_PAYLOAD' || e.error.code === 'GATT_BAD_VALUE')).toBe(true);
    // the empty payload at least is always rejected
    expect(state?.badPackets).toBeGreaterThan(0);
    for (const s of h.samples) expect(Number.isFinite(s.value), `${s.metric}=${s.value}`).toBe(true);
    // every payload reached the raw log, byte for byte
    expect(h.raw.length).toBeGreaterThanOrEqual(payloads.length);
    const before = h.samples.length;
    await h.advance(3000);
    expect(h.samples.length).toBeGreaterThan(before);
  });
});
