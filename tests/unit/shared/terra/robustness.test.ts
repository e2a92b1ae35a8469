import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideClientFrame, decideServerFrame, decodeFrame, encodeFrame, type Frame } from '../../../../src/shared/terra';

const STATES = ['unidentified', 'producer', 'consumer'] as const;

describe('terra codec robustness', () => {
  it('never throws on arbitrary text, and every failure carries a stable code', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.json(), fc.jsonValue().map((v) => JSON.stringify({ op: 6, t: 'X', d: v }))), (text) => {
        const r = decodeFrame(text);
        if (!r.ok) expect(['BROKER_BAD_FRAME', 'BROKER_UNKNOWN_OP', 'BROKER_BAD_PAYLOAD']).toContain(r.code);
        for (const state of STATES) expect(decideClientFrame(text, state).kind).toBeTypeOf('string');
        expect(decideServerFrame(text, 'consumer').kind).toBeTypeOf('string');
      }),
      { numRuns: 2000 },
    );
  });

  it('every close decision uses a protocol close code', () => {
    fc.assert(
      fc.property(fc.record({ op: fc.integer({ min: -2, max: 12 }), d: fc.jsonValue(), t: fc.option(fc.string()) }), (obj) => {
        for (const state of STATES) {
          const d = decideClientFrame(JSON.stringify(obj), state);
          if (d.kind === 'close') expect([1003, 4003, 4004]).toContain(d.code);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('SUBMIT payloads survive encode → decode deep-equal', () => {
    fc.assert(
      fc.property(fc.string(), fc.dictionary(fc.string(), fc.jsonValue()), (t, d) => {
        const frame: Frame = { op: 6, t, d };
        const back = decodeFrame(encodeFrame(frame));
        expect(back.ok && back.value).toEqual(JSON.parse(JSON.stringify(frame)));
      }),
      { numRuns: 1000 },
    );
  });
});
