/**
 * Zero loss (issue 4): the real headless host streams simulated devices to a real broker process;
 * the broker is SIGKILLed mid-stream and restarted 10 s later on the same port and data dir, then
 * the host is SIGKILLed and restarted. A consumer collects everything. Afterwards the consumer's
 * output, de-duplicated, holds every reading the host appended to its outbox exactly once, and in
 * outbox (capture) order per data type.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, describe, expect, it } from 'vitest';
import { createConsumer, type Consumer } from '../../../src/broker/consumer';
import { developerTokenSource } from '../../../src/broker/tokenSources';
import { readSegment } from '../../../src/main/producer/outbox';
import type { DispatchFrame } from '../../../src/shared/terra';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const DEV = { devId: 'lab', apiKey: 'lab-key-0123456789' };
const USER = 'default-user';
const children = new Set<ChildProcess>();
const base = mkdtempSync(join(tmpdir(), 'zero-loss-'));
let consumer: Consumer | null = null;

afterAll(() => {
  consumer?.stop();
  for (const c of children) c.kill('SIGKILL');
  rmSync(base, { recursive: true, force: true });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function run(args: string[], tag: string): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  child.once('exit', () => children.delete(child));
  child.stderr!.on('data', (b: Buffer) => {
    if (process.env.ZERO_LOSS_DEBUG) process.stderr.write(`[${tag}] ${b.toString()}`);
  });
  return child;
}

async function startBroker(port: number, dataDir: string, config: string): Promise<ChildProcess> {
  const child = run(['src/broker/cli.ts', '--json', '--port', String(port), '--data-dir', dataDir, '--heartbeat-ms', '1000', '--config', config], 'broker');
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', () => resolve());
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
  return child;
}

function startHost(dataDir: string, isSimulating: boolean): ChildProcess {
  return run(['src/main/webMain.ts', '--headless', '--port', '0', '--data-dir', dataDir, ...(isSimulating ? ['--simulate', 'steady3'] : [])], 'host');
}

function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

async function waitFor(cond: () => boolean, what: string, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

interface Stored {
  seq: number;
  key: string;
  t: string;
}

/** Every entry the host ever appended (live segments and delivered ones kept for audit), by outbox seq. */
function readOutbox(dir: string): { entries: Stored[]; watermark: number } {
  const entries: Stored[] = [];
  for (const sub of [dir, join(dir, 'delivered')]) {
    if (!existsSync(sub)) continue;
    for (const name of readdirSync(sub).filter((n) => n.startsWith('seg-'))) {
      for (const e of readSegment(join(sub, name)).entries) entries.push({ seq: e.seq, t: e.t, key: `${USER}|${e.t}|${JSON.stringify(e.d)}` });
    }
  }
  entries.sort((a, b) => a.seq - b.seq);
  const statePath = join(dir, 'state.json');
  const watermark = existsSync(statePath) ? (JSON.parse(readFileSync(statePath, 'utf8')) as { watermark: number }).watermark : 0;
  return { entries, watermark };
}

describe('zero loss through broker and host kills', () => {
  it('the consumer sees every outbox reading exactly once after de-duplication, in order per type', { timeout: 150_000 }, async () => {
    const port = await freePort();
    const brokerDir = join(base, 'broker');
    const hostDir = join(base, 'host');
    const outboxDir = join(hostDir, 'outbox', USER);
    const config = join(base, 'broker.json');
    writeFileSync(config, JSON.stringify({ developers: [{ ...DEV, users: [USER] }] }));
    mkdirSync(hostDir, { recursive: true });
    writeFileSync(
      join(hostDir, 'broker-settings.json'),
      JSON.stringify({ target: { kind: 'url', url: `ws://127.0.0.1:${port}/connect` }, tokenSource: { kind: 'developer', devId: DEV.devId }, outbox: { isDeliveredKept: true } }),
    );
    writeFileSync(join(hostDir, 'secrets.json'), JSON.stringify({ 'broker.apiKey': DEV.apiKey }), { mode: 0o600 });

    let broker = await startBroker(port, brokerDir, config);
    const got: DispatchFrame[] = [];
    consumer = createConsumer({
      url: `ws://127.0.0.1:${port}/connect`,
      token: developerTokenSource(`http://127.0.0.1:${port}`, DEV.devId, DEV.apiKey),
      onDispatch: (f) => got.push(f),
      backoffBaseMs: 200,
      backoffCapMs: 2000,
      replaySettleMs: 2000,
    });
    let host = startHost(hostDir, true);
    await waitFor(() => got.length >= 30, 'readings flowing to the consumer', 40_000);

    // broker killed mid-stream, back 10 s later on the same port and data dir
    await killHard(broker);
    const atKill = readOutbox(outboxDir).entries.length;
    await new Promise((r) => setTimeout(r, 10_000));
    expect(readOutbox(outboxDir).entries.length).toBeGreaterThan(atKill); // the host kept buffering
    broker = await startBroker(port, brokerDir, config);
    const afterBroker = got.length;
    await waitFor(() => got.length >= afterBroker + 60, 'flow after the broker restart', 45_000);

    // host killed mid-stream and restarted with the simulation
    await killHard(host);
    host = startHost(hostDir, true);
    const afterHost = got.length;
    await waitFor(() => got.length >= afterHost + 30, 'flow after the host restart', 45_000);

    // final drain: kill once more and restart without simulation, so the outbox only empties
    await killHard(host);
    host = startHost(hostDir, false);
    await waitFor(() => {
      const box = readOutbox(outboxDir);
      return box.entries.length > 0 && box.watermark >= box.entries[box.entries.length - 1]!.seq;
    }, 'every outbox entry acknowledged', 45_000);
    await killHard(host);
    await waitFor(() => consumer!.stats.state === 'ready', 'consumer settled', 10_000);
    await new Promise((r) => setTimeout(r, 2500)); // let a last backfill REPLAY settle
    consumer.stop();
    await killHard(broker);

    const box = readOutbox(outboxDir);
    const appended = new Map(box.entries.map((e) => [e.key, e]));
    expect(appended.size).toBe(box.entries.length); // the simulation never repeats (t, ts, val)
    const firstSeen = new Map<string, number>();
    for (const f of [...got].sort((a, b) => a.seq - b.seq)) {
      const key = `${f.uid}|${f.t}|${JSON.stringify(f.d)}`;
      if (!firstSeen.has(key)) firstSeen.set(key, f.seq);
    }
    const missing = [...appended.keys()].filter((k) => !firstSeen.has(k));
    expect(missing).toEqual([]);
    const unexpected = [...firstSeen.keys()].filter((k) => !appended.has(k));
    expect(unexpected).toEqual([]);
    // per data type, first arrivals follow the outbox order (capture order, original ts)
    for (const t of new Set(box.entries.map((e) => e.t))) {
      const outboxOrder = box.entries.filter((e) => e.t === t).map((e) => e.key);
      const arrivalOrder = [...firstSeen.entries()].filter(([k]) => k.split('|')[1] === t).sort((a, b) => a[1] - b[1]).map(([k]) => k);
      expect(arrivalOrder).toEqual(outboxOrder);
    }
    expect(box.entries.length).toBeGreaterThan(150);
    if (process.env.ZERO_LOSS_DEBUG) console.log(`appended ${box.entries.length}, dispatches ${got.length}, distinct ${firstSeen.size}`);
  });
});
