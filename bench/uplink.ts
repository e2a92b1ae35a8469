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
import { Outbox } from '../src/main/producer/outbox';
import { Uplink } from '../src/main/producer/uplink';
import { formatTs } from '../src/shared/terra';
import { rate } from './harness';

const BURST = 20_000;
const PACED_PER_S = 1000;
const PACED_S = 3;

interface Run {
  readonly burstPerS: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

/** Feed `send(i, tMs)` a burst, then a paced stream; `received` resolves per ts. */
async function drive(send: (tMs: number) => void, onReceive: (fn: (ts: string) => void) => void): Promise<Run> {
  const sentAt = new Map<string, number>();
  const latencies: number[] = [];
  let received = 0;
  let waiter: (() => void) | null = null;
  let target = 0;
  onReceive((ts) => {
    const at = sentAt.get(ts);
    if (at === undefined) return;
    sentAt.delete(ts);
    received++;
    latencies.push(performance.now() - at);
    if (received >= target && waiter) waiter();
  });
  let t = Date.now() - 3_600_000; // unique ms timestamps in the past: the hub releases them on its next tick
  const push = (): void => {
    t += 1;
    sentAt.set(formatTs(t), performance.now());
    send(t);
  };
  const until = (n: number): Promise<void> => new Promise((resolve) => {
    target = n;
    waiter = resolve;
    if (received >= n) resolve();
  });
  const start = performance.now();
  for (let i = 0; i < BURST; i++) push();
  await until(BURST);
  const burstPerS = BURST / ((performance.now() - start) / 1000);
  latencies.length = 0;
  const perTick = PACED_PER_S / 100;
  for (let tick = 0; tick < PACED_S * 100; tick++) {
    for (let i = 0; i < perTick; i++) push();
    await new Promise((r) => setTimeout(r, 10));
  }
  await until(BURST + PACED_PER_S * PACED_S);
  return { burstPerS, p50Ms: pct(latencies, 50), p99Ms: pct(latencies, 99) };
}

async function throughProducer(dir: string): Promise<Run> {
  const started = await startEmbeddedBroker({ dataDir: dir, port: 0, config: { heartbeatIntervalMs: 2000 } });
  if (!started.ok) throw new Error(started.message);
  const e = started.value;
  const opened = Outbox.open({ dir: join(dir, 'outbox'), maxEntries: 10_000_000 });
  if (!opened.ok) throw new Error(opened.message);
  const outbox = opened.value;
  const uplink = new Uplink({ url: e.broker.url, token: e.userTokenSource('bench'), outbox, source: 'bench' });
  const hub = new SampleHub();
  hub.subscribe((batch) => {
    outbox.append(batch.map((s) => ({ t: 'HEART_RATE', d: { ts: formatTs(s.tMs), val: s.value }, tMs: s.tMs })));
    uplink.kick();
  });
  hub.start();
  let onTs: (ts: string) => void = () => {};
  const consumer = createConsumer({ url: e.broker.url, token: e.consumerTokenSource(), onDispatch: (f) => onTs(f.d.ts as string), isBackfillEnabled: false });
  uplink.start();
  while (uplink.state().state !== 'ready' || consumer.stats.state !== 'ready') await new Promise((r) => setTimeout(r, 20));
  const run = await drive((tMs) => hub.push({ tMs, deviceId: 'sim:hr', metric: 'heartRate', value: 70 }), (fn) => (onTs = fn));
  consumer.stop();
  await uplink.stop();
  hub.stop();
  outbox.close();
  await e.broker.close();
  return run;
}

async function bareWs(): Promise<Run> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  let onTs: (ts: string) => void = () => {};
  wss.on('connection', (ws) => ws.on('message', (data) => onTs((JSON.parse(data.toString()) as { d: { ts: string } }).d.ts)));
  const ws = new WebSocket(`ws://127.0.0.1:${(wss.address() as { port: number }).port}/connect`);
  await new Promise<void>((r) => ws.once('open', () => r()));
  const run = await drive((tMs) => ws.send(`{"op":6,"t":"HEART_RATE","d":{"ts":"${formatTs(tMs)}","val":70}}`), (fn) => (onTs = fn));
  ws.close();
  await new Promise<void>((r) => wss.close(() => r()));
  return run;
}

/** Run both paths and print throughput and latency with ratios. */
export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-uplink-'));
  try {
    const subject = await throughProducer(dir);
    const base = await bareWs();
    console.log(`End to end: hub → outbox → uplink → embedded broker → consumer (loopback) vs the same SUBMIT frames over a bare ws`);
    console.log(`  burst of ${BURST}: ${rate(subject.burstPerS).padStart(10)} readings/s vs ${rate(base.burstPerS).padStart(10)} (baseline, same run)  ratio ${(subject.burstPerS / base.burstPerS).toFixed(3)}`);
    console.log(`  paced ${PACED_PER_S}/s for ${PACED_S} s, latency p50: ${subject.p50Ms.toFixed(2)} ms vs ${base.p50Ms.toFixed(2)} ms (baseline)  ratio ${(subject.p50Ms / base.p50Ms).toFixed(1)}`);
    console.log(`  paced ${PACED_PER_S}/s for ${PACED_S} s, latency p99: ${subject.p99Ms.toFixed(2)} ms vs ${base.p99Ms.toFixed(2)} ms (baseline)  ratio ${(subject.p99Ms / base.p99Ms).toFixed(1)}`);
    console.log(`  (the producer path includes the hub's batch release tick (20 ms), a durable outbox write per batch and the broker's dispatch log)`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
