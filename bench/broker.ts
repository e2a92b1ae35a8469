/**
 * End-to-end broker benchmark over loopback: readings/s and p50/p99 latency producer → broker →
 * consumer through the embedded Terra-compatible broker (IDENTIFY, zod-validated SUBMIT, seq,
 * replay store on disk, fan-out), against a baseline of the same frames relayed unchanged by a bare
 * `ws` server on the same machine in the same run. Everything runs in this one process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket, { WebSocketServer } from 'ws';
import { createBroker } from '../src/broker/broker';
import { encodeFrame, formatTs, identify, submit } from '../src/shared/terra';

const THROUGHPUT_READINGS = 30_000;
const LATENCY_RATE_HZ = 2000;
const LATENCY_SECONDS = 1;
const ROUNDS = 3;
const MAX_BUFFERED_BYTES = 1 << 20;

/** One path under test: a producer socket and a consumer socket joined by some server. */
interface Path {
  readonly name: string;
  readonly producer: WebSocket;
  readonly consumer: WebSocket;
  close(): Promise<void>;
}

interface Result {
  readonly name: string;
  readonly readingsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

function firstFrameWithOp(ws: WebSocket, op: number): Promise<void> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData): void => {
      if ((JSON.parse(data.toString()) as { op: number }).op === op) {
        ws.off('message', onMessage);
        resolve();
      }
    };
    ws.on('message', onMessage);
  });
}

async function brokerPath(dataDir: string): Promise<Path> {
  const started = await createBroker({ dataDir, seqMode: 'sparse', developers: [{ devId: 'bench', apiKey: 'k', users: ['u'] }] });
  if (!started.ok) throw new Error(started.message);
  const broker = started.value;
  const join = async (token: string, type: 0 | 1): Promise<WebSocket> => {
    const ws = new WebSocket(broker.url, { perMessageDeflate: false });
    const ready = firstFrameWithOp(ws, 4);
    await opened(ws);
    ws.send(encodeFrame(identify(token, type)));
    await ready;
    return ws;
  };
  const mint = (r: { ok: boolean; value?: string; message?: string }): string => {
    if (!r.ok || !r.value) throw new Error(r.message);
    return r.value;
  };
  const consumer = await join(mint(broker.admin.mintDeveloperToken('bench')), 1);
  const producer = await join(mint(broker.admin.mintUserToken('u')), 0);
  return {
    name: 'embedded broker (producer → broker → consumer)',
    producer,
    consumer,
    close: async () => {
      producer.terminate();
      consumer.terminate();
      await broker.close();
    },
  };
}

async function baselinePath(): Promise<Path> {
  const wss = new WebSocketServer({ port: 0, host: '127.0.0.1', perMessageDeflate: false });
  await new Promise<void>((r) => wss.once('listening', () => r()));
  const url = `ws://127.0.0.1:${(wss.address() as { port: number }).port}`;
  const sockets: WebSocket[] = [];
  wss.on('connection', (ws) => {
    sockets.push(ws);
    // The first socket is the consumer; everything the second sends is relayed to it as is.
    if (sockets.length === 2) ws.on('message', (data) => sockets[0]!.send(data, { binary: false }));
  });
  const consumer = new WebSocket(url, { perMessageDeflate: false });
  await opened(consumer);
  while (sockets.length < 1) await new Promise((r) => setTimeout(r, 1));
  const producer = new WebSocket(url, { perMessageDeflate: false });
  await opened(producer);
  while (sockets.length < 2) await new Promise((r) => setTimeout(r, 1));
  return {
    name: 'bare ws relay (same frames)',
    producer,
    consumer,
    close: async () => {
      producer.terminate();
      consumer.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
    },
  };
}

/** The SUBMIT text of reading `i`, carrying its send time (hi-res ms) inside `d`. */
function frameText(i: number): string {
  const now = performance.now();
  return encodeFrame(submit('HEART_RATE', { ts: formatTs(Date.now()), val: 60 + (i % 120), sentMs: now }));
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
}

async function run(path: Path): Promise<Result> {
  // Throughput: send as fast as the producer socket drains, count arrivals.
  let received = 0;
  const latencies: number[] = [];
  let isTiming = false;
  path.consumer.on('message', (data) => {
    received++;
    if (isTiming) {
      const sent = (JSON.parse(data.toString()) as { d: { sentMs: number } }).d.sentMs;
      latencies.push(performance.now() - sent);
    }
  });
  const t0 = performance.now();
  for (let i = 0; i < THROUGHPUT_READINGS; i++) {
    while (path.producer.bufferedAmount > MAX_BUFFERED_BYTES) await new Promise((r) => setImmediate(r));
    path.producer.send(frameText(i));
    if (i % 500 === 0) await new Promise((r) => setImmediate(r));
  }
  while (received < THROUGHPUT_READINGS) await new Promise((r) => setTimeout(r, 1));
  const readingsPerSecond = THROUGHPUT_READINGS / ((performance.now() - t0) / 1000);

  // Latency: a steady rate well below saturation, one reading at a time.
  isTiming = true;
  const total = LATENCY_RATE_HZ * LATENCY_SECONDS;
  const start = performance.now();
  for (let i = 0; i < total; i++) {
    const due = start + (i * 1000) / LATENCY_RATE_HZ;
    while (performance.now() < due) await new Promise((r) => setImmediate(r));
    path.producer.send(frameText(i));
  }
  while (latencies.length < total) await new Promise((r) => setTimeout(r, 1));
  latencies.sort((a, b) => a - b);
  await path.close();
  return { name: path.name, readingsPerSecond, p50Ms: percentile(latencies, 0.5), p99Ms: percentile(latencies, 0.99) };
}

function best(results: Result[]): Result {
  return {
    name: results[0]!.name,
    readingsPerSecond: Math.max(...results.map((r) => r.readingsPerSecond)),
    p50Ms: Math.min(...results.map((r) => r.p50Ms)),
    p99Ms: Math.min(...results.map((r) => r.p99Ms)),
  };
}

function line(r: Result, note = ''): string {
  return `  ${r.name.padEnd(48)} ${(r.readingsPerSecond / 1000).toFixed(1).padStart(7)} k readings/s   p50 ${r.p50Ms.toFixed(3)} ms   p99 ${r.p99Ms.toFixed(3)} ms${note}`;
}

/** Run the broker benchmark and print its numbers next to the bare-ws baseline. */
export async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-broker-'));
  try {
    // Rounds alternate baseline and subject; each figure is the best of its rounds (the machine is shared).
    const baselines: Result[] = [];
    const subjects: Result[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      baselines.push(await run(await baselinePath()));
      subjects.push(await run(await brokerPath(join(dataDir, `round-${round}`))));
    }
    const baseline = best(baselines);
    const subject = best(subjects);
    console.log(`Broker end to end over loopback (${THROUGHPUT_READINGS} readings flat out; latency at ${LATENCY_RATE_HZ}/s for ${LATENCY_SECONDS} s; best of ${ROUNDS})`);
    console.log(line(subject));
    console.log(line(baseline, '  (baseline, same run)'));
    console.log(
      `  ratio subject/baseline: throughput ${(subject.readingsPerSecond / baseline.readingsPerSecond).toFixed(3)}, ` +
        `p50 latency ${(subject.p50Ms / baseline.p50Ms).toFixed(2)}×, p99 latency ${(subject.p99Ms / baseline.p99Ms).toFixed(2)}×`,
    );
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) void main();
