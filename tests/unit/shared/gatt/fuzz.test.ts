import { describe, expect, it } from 'vitest';
import { GATT_CODEC_LIST } from '../../../../src/shared/gatt/registry';
import {
  decodeNotification,
  EMPTY_DECODE_ERRORS,
  initialGattSampleState,
  type DecodeErrorCounter,
  type GattSampleState,
} from '../../../../src/shared/gatt/samples';

const RUNS_PER_DECODER = 100_000;

/** mulberry32: a small seeded PRNG so a failure can be replayed. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function allFinite(value: unknown): boolean {
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(allFinite);
  if (value !== null && typeof value === 'object') return Object.values(value).every(allFinite);
  return true;
}

describe('100,000 random buffers per decoder (symptom guarded: a malformed BLE packet crashing the pipeline or a NaN on a chart)', () => {
  it.each(GATT_CODEC_LIST.map((c) => [c.name, c] as const))('%s never throws and never yields NaN/Infinity', (name) => {
    const rand = prng(0x5eed ^ name.length * 7919);
    const pool = new Uint8Array(48);
    let state: GattSampleState = initialGattSampleState();
    let errors: DecodeErrorCounter = EMPTY_DECODE_ERRORS;
    let decoded = 0;
    let bad = 0;
    for (let i = 0; i < RUNS_PER_DECODER; i++) {
      const length = Math.floor(rand() * 33);
      const offset = Math.floor(rand() * 8);
      for (let j = 0; j < length + offset; j += 4) {
        const word = Math.floor(rand() * 4294967296);
        pool[j] = word & 0xff;
        pool[j + 1] = (word >>> 8) & 0xff;
        pool[j + 2] = (word >>> 16) & 0xff;
        pool[j + 3] = word >>> 24;
      }
      const dv = new DataView(pool.buffer, offset, length);
      const r = decodeNotification(name, dv, state, errors, i * 250, 'ble:fuzz');
      state = r.state;
      errors = r.errors;
      if (r.decoded) {
        decoded++;
        if (!allFinite(r.decoded.value)) bad++;
      }
      for (const s of r.samples) if (!Number.isFinite(s.value) || !Number.isFinite(s.tMs)) bad++;
    }
    expect(bad).toBe(0);
    expect(decoded).toBeGreaterThan(0);
    // every rejected buffer was counted with a GATT code
    expect(errors.count + decoded).toBe(RUNS_PER_DECODER);
    if (errors.lastError) expect(errors.lastError.code).toMatch(/^GATT_/);
  });
});
