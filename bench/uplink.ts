/**
 * End to end: readings/s and p50/p99 latency from hub push to consumer dispatch through outbox →
 * uplink → embedded broker → consumer over loopback, against the same SUBMIT frames sent over a
 * bare `ws` connection on the same machine (same run).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';
import { createConsumer } from '../src/broker/consumer';
import { startEmbeddedBroker } from '../src/broker/embedded';
import { SampleHub } from '../src/main/hub';
import { outboxInputOf } from '../src/main/producer/manager';
import { Outbox } from '../src/main/producer/outbox';
import { Uplink } from '../src/main/producer/uplink';
import { formatTs } from '../src/shared/terra';
import { rate } from './harness';
import { isQuick } from './quick';

const BURST = isQuick() ? 10_000 : 20_000;
/** Burst rounds; each round measures both paths back to back (order alternated), so a load spike hits both. */
const ROUNDS = isQuick() ? 5 : 9;
const PACED_PER_S = 1000;
const PACED_S = isQuick() ? 2 : 3;

interface Run {
  readonly burstPerS: number;
  /** Per-round subject/baseline ratios (filled on the subject only). */
  readonly ratios: readonly number[];
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** One path under test: `send` one reading; `onTs` is called with each reading's ts on arrival. */
interface Path {
  send(tMs: number): void;
  setReceiver(fn: (ts: string) => void): void;
  close(): Promise<void>;
}

/** Drives a path: bursts for throughput, a paced stream for latency. */
class Driver {
  private readonly sentAt = new Map<string, number>();
  private readonly latencies: number[] = [];
  private received = 0;
  private target = 0;
  private waiter: (() => void) | null = null;
  private t = Date.now() - 3_600_000; // unique ms timestamps in the past

  constructor(private readonly path: Path) {
    path.setReceiver((ts) => {
      const at = this.sentAt.get(ts);
      if (at === undefined) return;
      this.sentAt.delete(ts);
      this.received++;
      this.latencies.push(performance.now() - at);
      if (this.received >= this.target && this.waiter) this.waiter();
    });
  }

  private push(): void {
    this.t += 1;
    this.sentAt.set(formatTs(this.t), performance.now());
    this.path.send(this.t);
  }

  private until(n: number): Promise<void> {
    return new Promise((resolve) => {
      this.target = n;
      this.waiter = resolve;
      if (this.received >= n) resolve();
    });
  }

  /** Readings/s of one burst of `n` pushed at once, delivered end to end. */
  async burst(n: number): Promise<number> {
    const start = performance.now();
    const goal = this.received + n;
    for (let i = 0; i < n; i++) this.push();
    await this.until(goal);
    return n / ((performance.now() - start) / 1000);
  }

  /** p50/p99 latency (ms) of `perS` readings/s for `seconds`, pushed every 10 ms. */
  async paced(perS: number, seconds: number): Promise<{ p50Ms: number; p99Ms: number }> {
    this.latencies.length = 0;
    const perTick = perS / 100;
    const goal = this.received + perS * seconds;
    for (let tick = 0; tick < seconds * 100; tick++) {
      for (let i = 0; i < perTick; i++) this.push();
      await new Promise((r) => setTimeout(r, 10));
    }
    await this.until(goal);
    return { p50Ms: pct(this.latencies, 50), p99Ms: pct(this.latencies, 99) };
  }
}

/** Both paths, alternated round by round so machine load hits both alike; best burst, latency per path. */
async function compare(subject: Path, base: Path): Promise<{ subject: Run; base: Run }> {
  const ds = new Driver(subject);
  const db = new Driver(base);
  await ds.burst(2000); // warm-up (JIT, socket buffers)
  await db.burst(2000);
  // latency first, at a steady 1,000/s on a near-empty outbox (as in use), then throughput
  const ls = await ds.paced(PACED_PER_S, PACED_S);
  const lb = await db.paced(PACED_PER_S, PACED_S);
  let bestS = 0;
  let bestB = 0;
  const ratios: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const first = r % 2 === 0 ? ds : db;
    const second = first === ds ? db : ds;
    const a = await first.burst(BURST);
    const b = await second.burst(BURST);
    const [s, base] = first === ds ? [a, b] : [b, a];
    bestS = Math.max(bestS, s);
    bestB = Math.max(bestB, base);
    ratios.push(s / base);
  }
  return { subject: { burstPerS: bestS, ratios, ...ls }, base: { burstPerS: bestB, ratios: [], ...lb } };
}

/** hub (live stream) → outbox → uplink → embedded broker → consumer, all in this process. */
async function producerPath(dir: string): Promise<Path> {
  const started = await startEmbeddedBroker({ dataDir: dir, port: 0, config: { heartbeatIntervalMs: 2000 } });
  if (!started.ok) throw new Error(started.message);
  const e = started.value;
  const opened = Outbox.open({ dir: join(dir, 'outbox'), maxEntries: 10_000_000 });
  if (!opened.ok) throw new Error(opened.message);
  const outbox = opened.value;
  const uplink = new Uplink({ url: e.broker.url, token: e.userTokenSource('bench'), outbox, source: 'bench' });
  const hub = new SampleHub();
  hub.subscribeLive((batch) => {
    outbox.append(batch.map((s) => outboxInputOf(s, 'HEART_RATE', 1))); // what the host's BrokerManager appends
    uplink.kick();
  });
  hub.start();
  let onTs: (ts: string) => void = () => {};
  const consumer = createConsumer({ url: e.broker.url, token: e.consumerTokenSource(), onDispatch: (f) => onTs(f.d.ts as string), isBackfillEnabled: false });
  uplink.start();
  while (uplink.state().state !== 'ready' || consumer.stats.state !== 'ready') await new Promise((r) => setTimeout(r, 20));
  return {
    send: (tMs) => hub.push({ tMs, deviceId: 'sim:hr', metric: 'heartRate', value: 70 }),
    setReceiver: (fn) => (onTs = fn),
    async close() {
      consumer.stop();
      await uplink.stop();
      hub.stop();
      outbox.close();
      await e.broker.close();
    },
  };
}

/** The same SUBMIT texts over one bare `ws` connection (client → server), in this process. */
async function bareWsPath(): Promise<Path> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let onTs: (ts: string) => void = () => {};
  wss.on('connection', (ws) => ws.on('message', (data) => onTs((JSON.parse(data.toString()) as { d: { ts: string } }).d.ts)));
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/connect`);
  await new Promise<void>((r) => ws.once('open', () => r()));
  return {
    send: (tMs) => ws.send(`{"op":6,"t":"HEART_RATE","d":{"ts":"${formatTs(tMs)}","val":70}}`),
    setReceiver: (fn) => (onTs = fn),
    async close() {
      ws.close();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

/** Run both paths and print throughput and latency with ratios. */
export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-uplink-'));
  const subjectPath = await producerPath(dir);
  const basePath = await bareWsPath();
  try {
    const { subject, base } = await compare(subjectPath, basePath);
    console.log(`End to end: hub → outbox → uplink → embedded broker → consumer (loopback, one process) vs the same SUBMIT frames over a bare ws`);
    const sorted = [...subject.ratios].sort((a, b) => a - b);
    console.log(`  burst of ${BURST} (best of ${ROUNDS}): ${rate(subject.burstPerS).padStart(10)} readings/s vs ${rate(base.burstPerS).padStart(10)} (baseline, same run)  ratio ${(subject.burstPerS / base.burstPerS).toFixed(3)}`);
    console.log(`  per round (both paths back to back): ratio median ${sorted[Math.floor(sorted.length / 2)]!.toFixed(3)}, min ${sorted[0]!.toFixed(3)}, max ${sorted[sorted.length - 1]!.toFixed(3)} over ${ROUNDS} rounds  (target ≥ 0.6)`);
    console.log(`  paced ${PACED_PER_S}/s for ${PACED_S} s, latency p50: ${subject.p50Ms.toFixed(2)} ms vs ${base.p50Ms.toFixed(2)} ms (baseline)  ratio ${(subject.p50Ms / base.p50Ms).toFixed(1)}`);
    console.log(`  paced ${PACED_PER_S}/s for ${PACED_S} s, latency p99: ${subject.p99Ms.toFixed(2)} ms vs ${base.p99Ms.toFixed(2)} ms (baseline)  ratio ${(subject.p99Ms / base.p99Ms).toFixed(1)}`);
    console.log(`  (the producer path: the hub's live stream (released at the end of the event-loop turn), one outbox write per turn, one corked socket write per pump, the broker's dispatch log, the consumer's validation and de-duplication)`);
  } finally {
    await subjectPath.close();
    await basePath.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
