/**
 * The consumer role on the client core, on a fake clock against the in-memory fake broker: after a
 * reconnect it asks for exactly the gap, de-duplicates by seq and by reading, and closes the
 * backfill when the injected clock says the replay has settled.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { createConsumer, type Consumer } from '../../../src/broker/consumer';
import type { DispatchFrame } from '../../../src/shared/terra';
import { flushMicrotasks, goodScript, startMemoryBroker, type FakeConn, type FakeScript } from '../../support/fakeBroker';
import { FakeClock } from '../../support/fakeClock';

const consumers: Consumer[] = [];
afterEach(() => {
  for (const c of consumers.splice(0)) c.stop();
});

const ts = (n: number): string => new Date(Date.UTC(2025, 0, 1, 12) + n).toISOString();
function dispatch(c: FakeConn, seq: number, reading = seq): void {
  c.ws.send(JSON.stringify({ op: 5, d: { ts: ts(reading), val: reading }, uid: 'u1', seq, t: 'HEART_RATE' }));
}

describe('consumer role on the client core', () => {
  it('after a reconnect: REPLAY (last seq, first live seq), replayed frames marked, duplicates by seq and by reading skipped and counted', async () => {
    const script = (i: number): FakeScript =>
      goodScript(10_000, {
        onFrame: (c, f) => {
          if (f.op === 0) c.ws.send('{"op":1}');
          if (f.op === 3) {
            c.ws.send('{"op":4}');
            if (i === 0) {
              for (const seq of [1, 2, 3]) dispatch(c, seq);
              c.ws.close(1001, 'going away');
            } else dispatch(c, 9); // the first live frame after the reconnect
          }
          if (f.op === 7) {
            for (const seq of [5, 7]) dispatch(c, seq); // the gap, as the broker retained it
            dispatch(c, 7); // overlap: the same seq again
            dispatch(c, 10, 5); // a producer re-send: reading 5 again under a new seq
          }
        },
      });
    const clock = new FakeClock(1_700_000_000_000, flushMicrotasks);
    const broker = startMemoryBroker(script);
    const got: Array<{ seq: number; isReplay: boolean }> = [];
    const consumer = createConsumer({
      url: 'ws://127.0.0.1:1/connect',
      token: async () => ({ ok: true, token: 'dev' }),
      onDispatch: (frame: DispatchFrame, info) => got.push({ seq: frame.seq, isReplay: info.isReplay }),
      clock,
      openSocket: broker.openSocket,
      random: () => 0.5,
      replaySettleMs: 5000,
    });
    consumers.push(consumer);
    await clock.advance(0);
    expect(got.map((g) => g.seq)).toEqual([1, 2, 3]);
    expect(consumer.stats.state).toBe('backoff');
    await clock.advance(750); // 1001: backoff 1000 × 0.75
    expect(broker.conns).toHaveLength(2);
    expect(broker.conns[1]!.frames.filter((f) => f.op === 7)).toEqual([{ op: 7, d: { after: 3, before: 9 } }]);
    expect(got).toEqual([
      { seq: 1, isReplay: false },
      { seq: 2, isReplay: false },
      { seq: 3, isReplay: false },
      { seq: 9, isReplay: false },
      { seq: 5, isReplay: true },
      { seq: 7, isReplay: true },
    ]);
    expect(consumer.stats).toMatchObject({ duplicates: 1, duplicateReadings: 1, replayRequests: 1, replayed: 2, delivered: 6, connections: 2, state: 'ready' });

    // until the replay settles, a late replayed seq below the first live one still counts as new…
    await clock.advance(4999);
    dispatch(broker.conns[1]!, 4);
    await clock.advance(0);
    expect(got.at(-1)).toEqual({ seq: 4, isReplay: true });
    // …after it, everything up to the highest delivered seq is settled, and a stray old seq is a duplicate
    await clock.advance(1);
    dispatch(broker.conns[1]!, 6);
    await clock.advance(0);
    expect(got.at(-1)).toEqual({ seq: 4, isReplay: true });
    expect(consumer.stats.duplicates).toBe(2);
  });
});
