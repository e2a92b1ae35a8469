import { describe, expect, it } from 'vitest';
import {
  BROKER_CLOSE_CODES,
  backoffDelayMs,
  closePolicy,
  decideClientFrame,
  decideServerFrame,
  describeClose,
  formatTs,
  heartbeatJitter,
  type SessionState,
} from '../../../../src/shared/terra';

/** §5.5 as expected outcomes: [frame, state, decision kind or close code]. */
const TABLE: ReadonlyArray<readonly [string, SessionState, string | number]> = [
  ['{"op":0}', 'unidentified', 'ack'],
  ['{"op":0}', 'producer', 'ack'],
  ['{"op":0}', 'consumer', 'ack'],
  ['{"op":3,"d":{"token":"a","type":0}}', 'unidentified', 'identify'],
  ['{"op":3,"d":{"token":"a","type":0}}', 'producer', 4003],
  ['{"op":3,"d":{"token":"a","type":1}}', 'consumer', 4003],
  ['{"op":6,"t":"X","d":{}}', 'unidentified', 'drop'],
  ['{"op":6,"t":"X","d":{}}', 'producer', 'submit'],
  ['{"op":6,"t":"X","d":{}}', 'consumer', 4004],
  ['{"op":7,"d":{"before":3}}', 'unidentified', 4004],
  ['{"op":7,"d":{"before":3}}', 'producer', 4004],
  ['{"op":7,"d":{"before":3}}', 'consumer', 'replay'],
  ['{"op":8,"d":{"connected":true}}', 'unidentified', 'drop'],
  ['{"op":8,"d":{"connected":true}}', 'producer', 'status'],
  ['{"op":8,"d":{"connected":"yes"}}', 'producer', 'drop'],
  ['{"op":8,"d":{"connected":true}}', 'consumer', 'drop'],
  ['{"op":1}', 'unidentified', 4004],
  ['{"op":2,"d":{"heartbeat_interval":1}}', 'producer', 4004],
  ['{"op":4}', 'consumer', 4004],
  ['{"op":5,"d":{},"uid":"u","seq":1,"t":"X"}', 'consumer', 4004],
  ['{"op":99}', 'producer', 4004],
  ['not json', 'producer', 1003],
  ['{"d":{}}', 'unidentified', 1003],
  ['{"op":3,"d":"x"}', 'unidentified', 1003],
  ['{"op":6,"d":{}}', 'producer', 1003],
  ['{"op":6,"t":"X"}', 'unidentified', 'drop'],
  ['{"op":7,"d":{"before":1.5}}', 'consumer', 1003],
];

describe('broker rules (§5.5)', () => {
  for (const [text, state, expected] of TABLE) {
    it(`${text} in ${state} → ${expected}`, () => {
      const d = decideClientFrame(text, state);
      if (typeof expected === 'number') {
        expect(d.kind).toBe('close');
        if (d.kind === 'close') expect(d.code).toBe(expected);
      } else {
        expect(d.kind).toBe(expected);
      }
    });
  }

  it('IDENTIFY with a non-string token or a bad type yields nulls (→ 4001, not 1003)', () => {
    expect(decideClientFrame('{"op":3,"d":{"token":5,"type":0}}', 'unidentified')).toEqual({ kind: 'identify', token: null, type: 0 });
    expect(decideClientFrame('{"op":3,"d":{"token":"a","type":7}}', 'unidentified')).toEqual({ kind: 'identify', token: 'a', type: null });
  });

  it('REPLAY decision carries the effective exclusive bounds', () => {
    const d = decideClientFrame('{"op":7,"d":{"before":9}}', 'consumer');
    expect(d.kind === 'replay' && [d.after, d.before]).toEqual([0, 9]);
  });
});

describe('client side', () => {
  it('a producer ignores DISPATCH and garbage without failing (P11)', () => {
    expect(decideServerFrame('{"op":5,"d":{},"uid":"u","seq":1,"t":"X"}', 'producer').kind).toBe('ignore');
    expect(decideServerFrame('garbage', 'producer').kind).toBe('ignore');
    expect(decideServerFrame('{"op":1}', 'producer').kind).toBe('frame');
  });
  it('a consumer accepts the legacy payload alias for d', () => {
    const d = decideServerFrame('{"op":5,"payload":{"val":3},"uid":"u","seq":1,"t":"X"}', 'consumer');
    expect(d.kind === 'frame' && d.frame.op === 5 && d.frame.d).toEqual({ val: 3 });
  });
});

describe('close codes (§8)', () => {
  const policies: ReadonlyArray<readonly [number, string, string]> = [
    [1000, 'backoff', 'backoff'],
    [1001, 'backoff', 'backoff'],
    [1003, 'stop', 'stop'],
    [1006, 'backoff', 'backoff'],
    [1011, 'backoff', 'backoff'],
    [4000, 'stop', 'stop'],
    [4001, 'refresh-token', 'refresh-token'],
    [4002, 'stop', 'stop'],
    [4003, 'stop', 'stop'],
    [4004, 'stop', 'stop'],
    [4005, 'backoff', 'backoff'],
    [4999, 'backoff', 'backoff'],
  ];
  for (const [code, producer, consumer] of policies) {
    it(`${code}: producer ${producer}, consumer ${consumer}`, () => {
      expect(closePolicy(code, 'producer')).toBe(producer);
      expect(closePolicy(code, 'consumer')).toBe(consumer);
    });
  }
  it('broker codes are exactly 1000, 1003, 1009, 1011, 4000–4005 (B-C01)', () => {
    expect([...BROKER_CLOSE_CODES].sort()).toEqual([1000, 1003, 1009, 1011, 4000, 4001, 4002, 4003, 4004, 4005]);
  });
  it('describes a close for people', () => {
    expect(describeClose(4001, 'invalid token')).toBe('4001 token invalid, expired or already redeemed (invalid token)');
  });
});

describe('timing', () => {
  it('formatTs gives RFC 3339 UTC with ms and Z (§11)', () => {
    expect(formatTs(Date.UTC(2025, 0, 1, 12, 0, 0, 0))).toBe('2025-01-01T12:00:00.000Z');
    expect(formatTs(Date.UTC(2025, 0, 1, 12, 0, 0, 250) + 0.9)).toBe('2025-01-01T12:00:00.250Z');
  });
  it('heartbeat jitter stays in [0.1, 1.0)', () => {
    expect(heartbeatJitter(0)).toBe(0.1);
    expect(heartbeatJitter(0.999999)).toBeLessThan(1);
  });
  it('backoff follows min(1000·2^n, 30000)·(0.5+r/2)', () => {
    expect(backoffDelayMs(0, 0)).toBe(500);
    expect(backoffDelayMs(3, 1)).toBe(8000);
    expect(backoffDelayMs(10, 1)).toBe(30000);
  });
});
