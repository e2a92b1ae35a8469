/** The producer uplink against a scripted broker that misbehaves (checklist P01–P11). */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TokenSource } from '../../../../src/client/tokenSources';
import { systemClock } from '../../../../src/client/wsSocket';
import { Outbox } from '../../../../src/main/producer/outbox';
import { Uplink, type UplinkOptions } from '../../../../src/main/producer/uplink';
import { goodScript, startScriptedBroker, waitFor, type FakeBroker } from '../../../support/fakeBroker';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  vi.useRealTimers();
  for (const c of cleanups.splice(0).reverse()) await c();
});

function counterTokens(): { source: TokenSource; minted: string[] } {
  const minted: string[] = [];
  return {
    minted,
    source: async () => {
      const token = `tok-${minted.length + 1}`;
      minted.push(token);
      return { ok: true, token };
    },
  };
}

function makeOutbox(): Outbox {
  const dir = mkdtempSync(join(tmpdir(), 'uplink-'));
  const r = Outbox.open({ dir });
  if (!r.ok) throw new Error(r.message);
  cleanups.push(() => {
    r.value.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return r.value;
}

function reading(i: number): { t: string; d: { ts: string; val: number }; tMs: number } {
  const tMs = Date.UTC(2025, 0, 1, 12, 0, 0, i * 10);
  return { t: 'HEART_RATE', d: { ts: new Date(tMs).toISOString(), val: 60 + i }, tMs };
}

async function setup(
  script: Parameters<typeof startScriptedBroker>[0],
  extra: Partial<UplinkOptions> = {},
): Promise<{ broker: FakeBroker; uplink: Uplink; outbox: Outbox; minted: string[] }> {
  const broker = await startScriptedBroker(script);
  cleanups.push(() => broker.close());
  const outbox = makeOutbox();
  const tokens = counterTokens();
  const uplink = new Uplink({ url: broker.url, token: tokens.source, outbox, source: 'sensor-relay/test', backoffBaseMs: 20, backoffCapMs: 100, ...extra });
  cleanups.push(() => uplink.stop());
  return { broker, uplink, outbox, minted: tokens.minted };
}

const submits = (b: FakeBroker, i: number) => (b.conns[i]?.frames ?? []).filter((f) => f.op === 6);

describe('producer uplink', () => {
  it('identifies once with a token minted before the socket, sends STATUS after READY and well-formed SUBMITs (P01, P02, P06, P10)', async () => {
    const { broker, uplink, outbox, minted } = await setup(() => goodScript(200));
    uplink.setDeviceLink('ant:120:1', true, 'sensor connected');
    outbox.append([reading(0), reading(1)]);
    uplink.start();
    await waitFor(() => submits(broker, 0).length === 2, 'two SUBMITs');
    const frames = broker.conns[0]!.frames;
    expect(frames.filter((f) => f.op === 3)).toEqual([{ op: 3, d: { token: 'tok-1', type: 0 } }]);
    expect(minted).toEqual(['tok-1']);
    const statusAt = frames.findIndex((f) => f.op === 8);
    expect(frames[statusAt]).toEqual({ op: 8, d: { connected: true, device_id: 'ant:120:1', source: 'sensor-relay/test', reason: 'sensor connected' } });
    expect(statusAt).toBeLessThan(frames.findIndex((f) => f.op === 6));
    for (const f of submits(broker, 0)) {
      expect(Object.keys(f).sort()).toEqual(['d', 'op', 't']);
      const d = f.d as Record<string, unknown>;
      expect(typeof f.t).toBe('string');
      expect(d.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(typeof d.val).toBe('number');
      expect('d' in d).toBe(false);
    }
    uplink.setDeviceLink('ant:120:1', false, 'lost');
    await waitFor(() => broker.conns[0]!.frames.filter((f) => f.op === 8).length === 2, 'STATUS on link change');
    await waitFor(() => uplink.state().outbox.delivered === 2, 'delivery proven by a HEARTBEAT_ACK');
    expect(uplink.state().state).toBe('ready');
  });

  it('sends no SUBMIT while READY is stalled, only heartbeats (P05)', async () => {
    const { broker, uplink, outbox } = await setup(() => ({
      onOpen: (c) => c.ws.send(JSON.stringify({ op: 2, d: { heartbeat_interval: 50 } })),
      onFrame: (c, f) => {
        if (f.op === 0) c.ws.send('{"op":1}');
      },
    }));
    outbox.append([reading(0)]);
    uplink.start();
    await waitFor(() => (broker.conns[0]?.frames.filter((f) => f.op === 0).length ?? 0) >= 3, 'three heartbeats');
    expect(broker.conns[0]!.frames.map((f) => f.op).filter((op) => op !== 0)).toEqual([3]);
    expect(uplink.state()).toMatchObject({ state: 'identifying', outbox: { queued: 1, delivered: 0 } });
  });

  it('closes and reconnects with a new token when a HEARTBEAT is not acknowledged (P04, P08)', async () => {
    const { broker, uplink, minted } = await setup((i) =>
      i === 0 ? goodScript(60, { onFrame: (c, f) => f.op === 3 && c.ws.send('{"op":4}') }) : goodScript(60),
    );
    uplink.start();
    await waitFor(() => broker.conns.length === 2 && uplink.state().state === 'ready', 'second session');
    expect(minted).toEqual(['tok-1', 'tok-2']);
    expect(broker.conns[1]!.frames.find((f) => f.op === 3)).toEqual({ op: 3, d: { token: 'tok-2', type: 0 } });
  });

  it('re-sends unacknowledged readings after a reconnect, oldest first, with their original ts, before live ones (P09)', async () => {
    const { broker, uplink, outbox } = await setup((i) =>
      i === 0
        ? goodScript(10_000, { onFrame: (c, f) => { if (f.op === 3) c.ws.send('{"op":4}'); if (f.op === 6 && c.frames.filter((x) => x.op === 6).length === 3) c.ws.close(1011, 'internal'); } })
        : goodScript(10_000),
    );
    outbox.append([reading(0), reading(1), reading(2)]);
    uplink.start();
    await waitFor(() => broker.conns.length === 2 && uplink.state().state === 'ready', 'reconnect');
    outbox.append([reading(3)]);
    uplink.kick();
    await waitFor(() => submits(broker, 1).length === 4, 'four SUBMITs on the new session');
    expect(submits(broker, 1).map((f) => (f.d as { ts: string }).ts)).toEqual([0, 1, 2, 3].map((i) => reading(i).d.ts));
    expect(broker.conns[1]!.raw.filter((r) => r.includes('"op":6'))[0]).toBe(broker.conns[0]!.raw.filter((r) => r.includes('"op":6'))[0]);
  });

  it.each([1003, 1009, 4000, 4003, 4004])('stops and reports on close %i without reconnecting (P07)', async (code) => {
    const { broker, uplink, minted } = await setup(() => goodScript(10_000, { onFrame: (c, f) => f.op === 3 && c.ws.close(code, 'scripted') }));
    // The uplink's timers run on the test clock (sockets stay real): a retry, if one were scheduled,
    // fires when the test moves time past every backoff period, however loaded the machine is.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
    uplink.start();
    await vi.advanceTimersByTimeAsync(0); // the start timer: connect now
    await waitFor(() => uplink.state().state === 'stopped', 'stopped');
    await vi.advanceTimersByTimeAsync(10 * 100); // ten times the backoff cap: no retry may happen
    expect(vi.getTimerCount()).toBe(0); // and none is pending
    vi.useRealTimers();
    expect(broker.conns).toHaveLength(1);
    expect(minted).toHaveLength(1);
    expect(uplink.state().error?.message).toContain(String(code));
    expect(uplink.state().lastClose).toMatchObject({ code, reason: 'scripted' });
  });

  it.each([1000, 1001, 1011, 4005, 4999])('reconnects with backoff and a fresh token after close %i (P07)', async (code) => {
    const { broker, uplink, minted } = await setup((i) => (i === 0 ? goodScript(10_000, { onFrame: (c, f) => f.op === 3 && c.ws.close(code, 'scripted') }) : goodScript(10_000)));
    uplink.start();
    await waitFor(() => broker.conns.length === 2 && uplink.state().state === 'ready', 'second session');
    expect(minted).toEqual(['tok-1', 'tok-2']);
    expect(uplink.state().lastClose?.code).toBe(code);
  });

  it('mints a fresh token after 4001 and recovers', async () => {
    const { broker, uplink, minted } = await setup((i) => (i === 0 ? goodScript(10_000, { onFrame: (c, f) => f.op === 3 && c.ws.close(4001, 'invalid token') }) : goodScript(10_000)));
    uplink.start();
    await waitFor(() => uplink.state().state === 'ready', 'ready after 4001');
    expect(minted).toEqual(['tok-1', 'tok-2']);
    expect(broker.conns[1]!.frames.find((f) => f.op === 3)).toEqual({ op: 3, d: { token: 'tok-2', type: 0 } });
  });

  it('with an rt. token retries a 4001 once, then stops asking for a new QR code', async () => {
    const rt: TokenSource = async () => ({ ok: true, token: 'rt.athlete', isReusable: true });
    const { broker, uplink } = await setup(() => goodScript(10_000, { onFrame: (c, f) => f.op === 3 && c.ws.close(4001, 'invalid token') }), { token: rt });
    uplink.start();
    await waitFor(() => uplink.state().state === 'stopped', 'stopped');
    expect(broker.conns).toHaveLength(2);
    expect(uplink.state().error).toMatchObject({ code: 'BROKER_TOKEN_FAILED' });
    expect(uplink.state().error?.message).toMatch(/QR/);
  });

  it('with an rt. token that expires during the session, a 4001 stops at once', async () => {
    let nowMs = 1_000_000;
    const clock = { ...systemClock, nowMs: () => nowMs };
    const rt: TokenSource = async () => ({ ok: true, token: 'rt.athlete', isReusable: true, expiresAtMs: 1_000_500 });
    const { broker, uplink } = await setup(
      () => goodScript(10_000, { onFrame: (c, f) => { if (f.op !== 3) return; nowMs = 1_000_600; c.ws.close(4001, 'invalid token'); } }),
      { token: rt, clock },
    );
    uplink.start();
    await waitFor(() => uplink.state().state === 'stopped', 'stopped');
    expect(broker.conns).toHaveLength(1);
    expect(uplink.state().error).toMatchObject({ code: 'BROKER_TOKEN_EXPIRED' });
    expect(uplink.state().error?.message).toMatch(/expired.*QR/);
  });

  it('never presents an rt. token that has already expired', async () => {
    const rt: TokenSource = async () => ({ ok: true, token: 'rt.athlete', isReusable: true, expiresAtMs: Date.now() - 1 });
    const { broker, uplink } = await setup(() => goodScript(10_000), { token: rt });
    uplink.start();
    await waitFor(() => uplink.state().state === 'stopped', 'stopped');
    expect(broker.conns).toHaveLength(0);
    expect(uplink.state().error).toMatchObject({ code: 'BROKER_TOKEN_EXPIRED' });
  });

  it('ignores and counts garbage, binary, unknown and DISPATCH frames without closing (P11)', async () => {
    const { broker, uplink, outbox } = await setup(() =>
      goodScript(10_000, {
        onFrame: (c, f) => {
          if (f.op !== 3) return;
          c.ws.send('{"op":4}');
          for (const junk of ['not json', '[1,2]', '{"op":"4"}', '{"op":99}', '{"op":2,"d":{}}', '{"op":5,"d":{"val":1},"uid":"u","seq":1,"t":"HEART_RATE"}', '{"op":4}', '{"op":1}']) c.ws.send(junk);
          c.ws.send(Buffer.from([1, 2, 3]), { binary: true });
        },
      }),
    );
    uplink.start();
    await waitFor(() => uplink.state().ignoredFrames === 9, 'nine ignored frames');
    outbox.append([reading(0)]);
    uplink.kick();
    await waitFor(() => submits(broker, 0).length === 1, 'SUBMIT after the garbage');
    expect(broker.conns).toHaveLength(1);
    expect(uplink.state().state).toBe('ready');
  });

  it('refuses a plain ws:// URL to another machine with BROKER_INSECURE_URL', async () => {
    const outbox = makeOutbox();
    const uplink = new Uplink({ url: 'ws://broker.example.com/connect', token: counterTokens().source, outbox, source: 's' });
    uplink.start();
    expect(uplink.state()).toMatchObject({ state: 'stopped', error: { code: 'BROKER_INSECURE_URL' } });
  });

  it('stops writing while the socket buffers more than the budget and catches up later', async () => {
    const { broker, uplink, outbox } = await setup(() => goodScript(10_000), { maxBufferedBytes: 0 });
    outbox.append(Array.from({ length: 50 }, (_, i) => reading(i)));
    uplink.start();
    await waitFor(() => submits(broker, 0).length === 50, 'all 50 SUBMITs eventually');
    expect(submits(broker, 0).map((f) => (f.d as { val: number }).val)).toEqual(Array.from({ length: 50 }, (_, i) => 60 + i));
  });
});
