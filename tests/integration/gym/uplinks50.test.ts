/**
 * Per-athlete forwarding at class size: 50 athletes with their own Terra user ids, one uplink each
 * (staggered starts) from the real host to a real broker. Every athlete's readings arrive under
 * their own `uid` with their own strap's values, and one athlete whose token the broker rejects
 * does not disturb the other 49.
 */
import { createServer, type Server } from 'node:http';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createBroker, createConsumer, type Broker, type Consumer } from '../../../src/broker';
import { createHost, type Host } from '../../../src/main/host';
import { loadScenario } from '../../../src/main/sim/scenarioFiles';

const N = 50;
const BAD = 'terra-a13';
const pad = (i: number): string => String(i).padStart(2, '0');

let host: Host | null = null;
let broker: Broker | null = null;
let tokenServer: Server | null = null;
let consumer: Consumer | null = null;
afterEach(async () => {
  consumer?.stop();
  await host?.stop();
  await broker?.close();
  await new Promise((r) => (tokenServer ? tokenServer.close(r) : r(null)));
});

async function until(check: () => boolean, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!check() && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
}

describe('50 athletes, 50 uplinks', () => {
  it('every athlete’s readings arrive under their own uid; one rejected token leaves the others alone', async () => {
    const started = await createBroker({ port: 0, heartbeatIntervalMs: 2000, developers: [{ devId: 'gym', apiKey: 'gym-api-key-0123456789', users: [], acceptAnyUser: true }] });
    if (!started.ok) throw new Error(started.message);
    broker = started.value;
    const b = broker;
    // the gym's token backend: real tokens for everyone except one athlete, whose token is bogus
    const minted = new Set<string>();
    tokenServer = createServer((req, res) => {
      const uid = new URL(req.url ?? '/', 'http://x').searchParams.get('id') ?? '';
      minted.add(uid);
      const token = uid === BAD ? 'not-a-valid-token' : b.admin.mintUserToken(uid);
      res.writeHead(200, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ token: typeof token === 'string' ? token : token.ok ? token.value : '' }));
    });
    await new Promise<void>((r) => tokenServer!.listen(0, '127.0.0.1', r));
    const tokenPort = (tokenServer.address() as { port: number }).port;

    const received = new Map<string, number[]>();
    consumer = createConsumer({
      url: b.url,
      token: async () => {
        const t = b.admin.mintDeveloperToken('gym');
        return t.ok ? { ok: true, token: t.value } : { ok: false, message: t.message, isFatal: true };
      },
      onDispatch: (f) => {
        if (f.t !== 'HEART_RATE') return;
        const list = received.get(f.uid) ?? [];
        list.push(Number((f.d as { val: number }).val));
        received.set(f.uid, list);
      },
    });

    const scenario = loadScenario('gym50');
    if (!scenario.ok) throw new Error(scenario.message);
    host = createHost({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sr-gym-uplinks-')), scenario: scenario.value, isAntUsbEnabled: false });
    const configured = await host.call({
      kind: 'call',
      id: 1,
      name: 'broker.configure',
      args: { settings: { target: { kind: 'url', url: b.url }, tokenSource: { kind: 'tokenUrl', url: `http://127.0.0.1:${tokenPort}/token` } } },
    });
    expect(configured.ok).toBe(true);
    const rows = ['id,name,terra_user_id,devices'];
    for (let i = 1; i <= N; i++) rows.push(`a${pad(i)},Athlete ${i},terra-a${pad(i)},sim:strap${pad(i)}`);
    expect(host.roster.importCsv(rows.join('\n'), 'replace').ok).toBe(true);
    await host.start();
    for (let i = 1; i <= N; i++) host.sim.setValue(`sim:strap${pad(i)}`, 'heartRate', 100 + i);

    const good = Array.from({ length: N }, (_, i) => `terra-a${pad(i + 1)}`).filter((u) => u !== BAD);
    const isDone = (): boolean => good.every((u) => (received.get(u) ?? []).includes(100 + Number(u.slice(-2))));
    await until(isDone, 25_000);

    expect(minted.size).toBe(N);
    // keep streaming: every reading that arrives from now on under each uid is that athlete's own
    // strap value (each strap has a distinct one), never a neighbour's
    const mark = new Map(good.map((u) => [u, received.get(u)!.length]));
    await until(() => good.every((u) => received.get(u)!.length >= mark.get(u)! + 2), 25_000);
    for (const uid of good) {
      const later = received.get(uid)!.slice(mark.get(uid)!);
      expect(later.length, uid).toBeGreaterThanOrEqual(2);
      expect(new Set(later), uid).toEqual(new Set([100 + Number(uid.slice(-2))]));
    }
    expect(received.has(BAD)).toBe(false);
    const uplinks = host.broker.state().uplinks;
    expect(uplinks).toHaveLength(N);
    expect(uplinks.filter((u) => u.userId !== BAD).every((u) => u.state === 'ready')).toBe(true);
    const bad = uplinks.find((u) => u.userId === BAD)!;
    expect(bad.state).not.toBe('ready');
    expect(bad.participantName).toBe('Athlete 13');
    expect(bad.error ?? bad.lastClose).not.toBeNull();
  });
});
