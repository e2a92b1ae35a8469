/** The broker manager inside a real host: embedded broker by default, routing, unforwarded metrics, settings validation. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsumer } from '../../../../src/broker/consumer';
import { createHost, type Host } from '../../../../src/main/host';
import { outboxInputOf, outboxKey, uplinkStartDelayMs } from '../../../../src/main/producer/manager';
import fc from 'fast-check';
import { formatTs } from '../../../../src/shared/terra';
import { brokerStateSchema } from '../../../../src/shared/contract/broker';
import { nowMs } from '../../../../src/shared/sample';
import type { DispatchFrame } from '../../../../src/shared/terra';
import { waitFor } from '../../../support/fakeBroker';

const cleanups: (() => Promise<unknown> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function startHost(prepare?: (dir: string) => void): Promise<{ host: Host; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mgr-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  prepare?.(dir);
  const host = createHost({ mode: 'headless', dataDir: dir, isAntUsbEnabled: false, version: '9.9.9' });
  await host.start();
  cleanups.push(() => host.stop());
  return { host, dir };
}

describe('broker manager', () => {
  it('out of the box: readings reach a consumer of the embedded broker; unlabelled metrics are skipped and listed', async () => {
    const { host } = await startHost();
    await waitFor(() => host.broker.state().uplinks[0]?.state === 'ready', 'default uplink ready');
    const embedded = host.broker.state().embedded!;
    const creds = JSON.parse(readFileSync(host.broker.state().embedded!.credentialsPath, 'utf8')) as { devId: string; apiKey: string };
    const got: DispatchFrame[] = [];
    const consumer = createConsumer({
      url: embedded.url,
      token: async () => {
        const r = await fetch(`${embedded.httpUrl}/auth/developer`, { method: 'POST', headers: { 'dev-id': creds.devId, 'x-api-key': creds.apiKey } });
        return { ok: true, token: ((await r.json()) as { token: string }).token };
      },
      onDispatch: (f) => got.push(f),
    });
    cleanups.push(() => consumer.stop());
    await waitFor(() => consumer.stats.state === 'ready', 'consumer ready');
    const tMs = nowMs();
    host.hub.push({ tMs, deviceId: 'sim:hr-1', metric: 'heartRate', value: 71 });
    host.hub.push({ tMs, deviceId: 'sim:hr-1', metric: 'battery', value: 90 });
    host.hub.push({ tMs, deviceId: 'sim:spd-1', metric: 'speed', value: 10 });
    await waitFor(() => got.length === 2, 'two dispatches');
    expect(got.map((f) => [f.uid, f.t, f.d])).toEqual([
      ['default-user', 'HEART_RATE', { ts: new Date(Math.floor(tMs)).toISOString(), val: 71 }],
      ['default-user', 'SPEED', { ts: new Date(Math.floor(tMs)).toISOString(), val: 36 }],
    ]);
    const state = host.broker.state();
    expect(state.unforwardedMetrics.find((m) => m.metric === 'battery')).toEqual({ metric: 'battery', isSeen: true });
    expect(state.unforwardedMetrics.map((m) => m.metric)).not.toContain('heartRate');
    expect(brokerStateSchema.safeParse(state).success).toBe(true); // what the UI receives passes the contract schema
  });

  it('routes each athlete to their own Terra user; readings of unassigned sensors are counted, not sent', async () => {
    const { host, dir } = await startHost();
    expect(host.roster.upsert({ id: 'p1', name: 'Ada', terraUserId: 'athlete-7', deviceIds: ['sim:hr-7'] }).ok).toBe(true);
    await waitFor(() => host.broker.state().uplinks.some((u) => u.userId === 'athlete-7'), 'athlete uplink');
    host.hub.push({ tMs: nowMs(), deviceId: 'sim:hr-7', metric: 'heartRate', value: 150 });
    host.hub.push({ tMs: nowMs(), deviceId: 'sim:other', metric: 'heartRate', value: 90 });
    await waitFor(() => host.broker.state().unroutedReadings === 1, 'unrouted reading counted');
    const row = host.broker.state().uplinks.find((u) => u.userId === 'athlete-7')!;
    expect(row.participantName).toBe('Ada');
    expect(row.outbox.queued + row.outbox.inFlight + row.outbox.delivered).toBe(1);
    expect(existsSync(join(dir, 'outbox', outboxKey('athlete-7')))).toBe(true);
  });

  it('a broken settings file gives a notice and the defaults, and is kept as .bad', async () => {
    const { host, dir } = await startHost((d) => writeFileSync(join(d, 'broker-settings.json'), '{"target":{"kind":"url","url":42}}'));
    const state = host.broker.state();
    expect(state.settings.target).toEqual({ kind: 'embedded' });
    expect(state.notices[0]).toMatch(/invalid.*defaults.*\.bad/);
    expect(readFileSync(join(dir, 'broker-settings.json.bad'), 'utf8')).toContain('"url":42');
  });

  it('broker.configure refuses a plain ws:// URL to another machine and an external broker without a token source', async () => {
    const { host, dir } = await startHost();
    const insecure = await host.call({ kind: 'call', id: 1, name: 'broker.configure', args: { settings: { target: { kind: 'url', url: 'ws://10.0.0.5:8790/connect' }, tokenSource: { kind: 'tokenUrl', url: 'https://b.example/t' } } } });
    expect(insecure).toMatchObject({ ok: false, code: 'BROKER_INSECURE_URL' });
    const noTokens = await host.call({ kind: 'call', id: 2, name: 'broker.configure', args: { settings: { target: { kind: 'url', url: 'wss://ws.tryterra.co/connect' } } } });
    expect(noTokens).toMatchObject({ ok: false, code: 'BROKER_BAD_CONFIG' });
    expect(existsSync(join(dir, 'broker-settings.json'))).toBe(false);
  });

  it('broker.configure stores the API key in the secret store, never in the settings file', async () => {
    const { host, dir } = await startHost();
    const r = await host.call({ kind: 'call', id: 1, name: 'broker.configure', args: { settings: { target: { kind: 'url', url: 'wss://ws.tryterra.co/connect' }, tokenSource: { kind: 'developer', devId: 'dev-1' } }, apiKey: 'sk-live-very-secret' } });
    expect(r).toMatchObject({ ok: true, value: { hasApiKey: true } });
    expect(readFileSync(join(dir, 'broker-settings.json'), 'utf8')).not.toContain('sk-live-very-secret');
    expect(readFileSync(join(dir, 'broker-settings.json'), 'utf8')).toContain('dev-1');
  });

  it('broker.testConnection reaches READY on the embedded broker', async () => {
    const { host } = await startHost();
    const r = await host.call({ kind: 'call', id: 1, name: 'broker.testConnection', args: {} });
    expect(r).toMatchObject({ ok: true, value: { isOk: true } });
  });

  it('keeps running when the settings point to an external broker that is down (outbox fills, no crash)', async () => {
    const { host } = await startHost((d) => {
      mkdirSync(d, { recursive: true });
      writeFileSync(join(d, 'broker-settings.json'), JSON.stringify({ target: { kind: 'url', url: 'ws://127.0.0.1:1/connect' }, tokenSource: { kind: 'tokenUrl', url: 'http://127.0.0.1:1/token' } }));
    });
    host.hub.push({ tMs: nowMs(), deviceId: 'sim:hr-1', metric: 'heartRate', value: 60 });
    await waitFor(() => host.broker.state().uplinks[0]?.outbox.queued === 1, 'queued in the outbox');
    await waitFor(() => host.broker.state().uplinks[0]?.state === 'backoff', 'backing off');
    expect(host.broker.state().uplinks[0]?.error?.code).toBe('BROKER_TOKEN_FAILED');
  });
});

describe('uplink start stagger', () => {
  it('50 athletes start one per slot with jitter inside the slot: never two in the same 100 ms slot, first at once', () => {
    for (const random of [0, 0.5, 0.999]) {
      const delays = Array.from({ length: 50 }, (_, i) => uplinkStartDelayMs(i, 100, random));
      expect(delays[0]).toBe(0);
      const slots = delays.map((d) => Math.floor(d / 100));
      expect(new Set(slots).size).toBe(50);
      expect(Math.max(...delays)).toBeLessThan(5100);
    }
  });
});

describe('outboxInputOf', () => {
  it('writes the payload JSON a consumer parses back to the same ts and value (what JSON.stringify would give), for any finite reading', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), fc.integer({ min: 0, max: 4_102_444_800_000 }), fc.constantFrom(1, 0.001, 1000), (value, tMs, factor) => {
        const input = outboxInputOf({ tMs, deviceId: 'sim:hr', metric: 'heartRate', value }, 'HEART_RATE', factor);
        expect(input.dJson).toBe(JSON.stringify({ ts: formatTs(tMs), val: value * factor }));
        expect(input).toMatchObject({ t: 'HEART_RATE', tMs });
      }),
    );
  });
});

