import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  dispatch,
  encodeFrame,
  hello,
  identify,
  replay,
  replayRange,
  submit,
  type ReplayFrame,
} from '../../../../src/shared/terra';
import { INVALID_VECTORS, VALID_VECTORS } from './frames.vectors';

describe('terra frame codec: valid vectors', () => {
  for (const v of VALID_VECTORS) {
    it(`decodes ${v.name} (${v.source})`, () => {
      const r = decodeFrame(v.text);
      expect(r.ok).toBe(true);
      if (r.ok) expect(r.value).toEqual(v.frame);
    });
    it(`encodes ${v.name} ${v.isExact ? 'to the exact text' : 'to equal JSON'}`, () => {
      const text = encodeFrame(v.frame);
      if (v.isExact) expect(text).toBe(v.text);
      else expect(decodeFrame(text)).toEqual(decodeFrame(v.text));
    });
  }
});

describe('terra frame codec: invalid vectors', () => {
  for (const v of INVALID_VECTORS) {
    it(`rejects ${v.name} with ${v.code} (${v.source})`, () => {
      const r = decodeFrame(v.text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe(v.code);
        expect(r.message.length).toBeGreaterThan(0);
      }
    });
  }
});

describe('terra frame codec: payloads', () => {
  it('keeps a SUBMIT d deep-equal, including unknown and nested keys (B-S02)', () => {
    const d = { ts: '2025-01-01T12:00:00.000Z', val: 1, unit: 'km/h', x: { y: [1, 2] } };
    const r = decodeFrame(JSON.stringify({ op: 6, t: 'SPEED', d }));
    expect(r.ok && r.value.op === 6 && r.value.d).toEqual(d);
  });

  it('builders produce the §4 frames', () => {
    expect(encodeFrame(hello(40000))).toBe('{"op":2,"d":{"heartbeat_interval":40000}}');
    expect(encodeFrame(identify('T', 0))).toBe('{"op":3,"d":{"token":"T","type":0}}');
    expect(encodeFrame(submit('HEART_RATE', { ts: '2025-01-01T12:00:00.000Z', val: 72 }))).toBe(
      '{"op":6,"d":{"ts":"2025-01-01T12:00:00.000Z","val":72},"t":"HEART_RATE"}',
    );
    expect(encodeFrame(dispatch('HEART_RATE', { val: 1 }, 'u', 5))).toBe('{"op":5,"d":{"val":1},"uid":"u","seq":5,"t":"HEART_RATE"}');
    expect(encodeFrame(replay(28, 43))).toBe('{"op":7,"d":{"after":28,"before":43}}');
    expect(encodeFrame(replay(undefined, 43))).toBe('{"op":7,"d":{"before":43}}');
  });

  it('REPLAY bounds: after defaults to 0, a missing before matches nothing (§7)', () => {
    expect(replayRange({ op: 7, d: { before: 9 } } as ReplayFrame)).toEqual({ after: 0, before: 9 });
    expect(replayRange({ op: 7, d: { after: 3 } } as ReplayFrame)).toEqual({ after: 3, before: 0 });
  });

  it('accepts a seq above 2^32 and rejects one above 2^53', () => {
    expect(decodeFrame('{"op":7,"d":{"before":8589934592}}').ok).toBe(true);
    expect(decodeFrame('{"op":7,"d":{"before":18014398509481984}}').ok).toBe(false);
  });
});
