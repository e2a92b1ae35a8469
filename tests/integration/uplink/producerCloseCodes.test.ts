/**
 * The host's producer uplink (src/main/producer/uplink.ts) against the scripted fake broker, one
 * test per row of the §8 close-code table (checklist P07): `stop` codes end with the error shown
 * and no second connection; `backoff` codes reconnect; 4001 reconnects with a fresh token.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { Outbox } from '../../../src/main/producer/outbox';
import { Uplink } from '../../../src/main/producer/uplink';
import { CLOSE_CODES } from '../../../src/shared/terra';
import { startFakeBroker, waitFor, type Script } from '../../support/fakeBroker';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const f of cleanups.splice(0).reverse()) await f();
});

function until(pred: () => boolean): Promise<void> {
  return waitFor(pred, 'the uplink state', 10_000);
}

async function setup(script: Script): Promise<{ uplink: Uplink; tokens: string[]; conns: () => number; fake: Awaited<ReturnType<typeof startFakeBroker>> }> {
  const fake = await startFakeBroker(() => ({}), script);
  const dir = mkdtempSync(join(tmpdir(), 'producer-close-'));
  const opened = Outbox.open({ dir });
  if (!opened.ok) throw new Error(opened.message);
  const tokens: string[] = [];
  const uplink = new Uplink({
    url: fake.url,
    token: async () => {
      const token = `tok-${tokens.length + 1}`;
      tokens.push(token);
      return { ok: true, token };
    },
    outbox: opened.value,
    source: 'sensor-relay/test',
    backoffBaseMs: 20,
    backoffCapMs: 100,
  });
  cleanups.push(async () => {
    await uplink.stop();
    opened.value.close();
    await fake.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { uplink, tokens, conns: () => fake.conns.length, fake };
}

describe('producer uplink close-code policy (§8, P07)', () => {
  for (const row of CLOSE_CODES) {
    it(`${row.code} (${row.meaning}) → ${row.producer}`, async () => {
      const { uplink, tokens, conns, fake } = await setup((conn, frame) => {
        if (conn.index === 0 && frame.op === 3) {
          if (row.code === 1006) conn.ws.terminate();
          else conn.ws.close(row.code, row.reason);
          return true;
        }
      });
      if (row.producer === 'stop') {
        // The uplink's timers on the test clock (sockets stay real): move time past ten backoff
        // caps; a retry, if one were scheduled, would have fired.
        vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
        uplink.start();
        await vi.advanceTimersByTimeAsync(0);
        await until(() => uplink.state().state === 'stopped');
        await vi.advanceTimersByTimeAsync(10_000);
        expect(vi.getTimerCount()).toBe(0);
        vi.useRealTimers();
        expect(conns()).toBe(1);
        expect(uplink.state().error?.message).toContain(String(row.code));
      } else {
        uplink.start();
        await fake.waitConnections(2);
        await until(() => uplink.state().state === 'ready');
        expect(tokens[1]).not.toBe(tokens[0]);
        expect(uplink.state().lastClose?.code).toBe(row.code);
      }
    });
  }
});

describe('producer uplink with a stalled handshake', () => {
  for (const stall of ['HELLO', 'READY'] as const) {
    it(`a broker that never sends ${stall} is abandoned after the handshake timeout; a new token is used and no SUBMIT goes to it`, async () => {
      const fake = await startFakeBroker((i) => (stall === 'HELLO' ? { hello: i > 0 } : { ready: i > 0 }));
      const dir = mkdtempSync(join(tmpdir(), 'producer-stall-'));
      const opened = Outbox.open({ dir });
      if (!opened.ok) throw new Error(opened.message);
      const tokens: string[] = [];
      const uplink = new Uplink({
        url: fake.url,
        token: async () => {
          const token = `tok-${tokens.length + 1}`;
          tokens.push(token);
          return { ok: true, token };
        },
        outbox: opened.value,
        source: 'sensor-relay/test',
        backoffBaseMs: 20,
        handshakeTimeoutMs: 300,
      });
      cleanups.push(async () => {
        await uplink.stop();
        opened.value.close();
        await fake.close();
        rmSync(dir, { recursive: true, force: true });
      });
      opened.value.append([{ t: 'HEART_RATE', d: { ts: '2025-01-01T12:00:00.000Z', val: 70 }, tMs: Date.parse('2025-01-01T12:00:00.000Z') }]);
      uplink.start();
      const second = await fake.waitConnections(2);
      await fake.waitFor(() => second.frames.some((f) => f.op === 6));
      expect(fake.conns[0]!.frames.filter((f) => f.op === 6)).toEqual([]);
      expect(tokens.slice(0, 2)).toEqual(['tok-1', 'tok-2']);
    });
  }
});
