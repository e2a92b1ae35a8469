/**
 * A gym class through the real host (bench/gymHost.ts in a child process): 50 athletes, one strap
 * each at 4 Hz, 50 per-athlete uplinks to the embedded broker, and a consumer in this process.
 *
 * 1. Class at real rate: p99 reading → consumer latency (reception time in the host → arrival at
 *    the consumer), p99 ACK lag (per uplink, once a second: age of the oldest reading not yet
 *    proven delivered), and host CPU next to the same host with the simulator alone (no broker).
 * 2. Accelerated soak: the same class at `SOAK_FACTOR`× the reading rate with a recording running,
 *    after a warm-up that fills the broker's replay store to its bound: host RSS sampled over the
 *    soak (growth from the warm-up baseline and in the second half), heap after a forced GC, whether
 *    the host kept up (accepted vs asked, consumer vs accepted, ACK lag, backlog), and the outbox and
 *    dispatch-log size after the outboxes drain.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { createConsumer, type Consumer } from '../src/broker/consumer';
import { developerTokenSource } from '../src/client/tokenSources';
import { isQuick } from './quick';

const CLASS_S = isQuick() ? 6 : 60;
const WARMUP_S = isQuick() ? 2 : 15; // past the first heartbeat cycle of every uplink
/** Reading-rate multiplier and wall time of the soak (BENCH_SOAK_FACTOR / BENCH_SOAK_S override them). */
const SOAK_FACTOR = Number(process.env.BENCH_SOAK_FACTOR ?? 40);
const SOAK_S = Number(process.env.BENCH_SOAK_S ?? (isQuick() ? 6 : 720));
/**
 * Soak warm-up: long enough for the broker's replay store to reach its retention bound (100,000
 * dispatches, about 12 s at 40×) and the JIT to settle, so growth after it is growth, not filling.
 */
const SOAK_WARMUP_S = Number(process.env.BENCH_SOAK_WARMUP_S ?? (isQuick() ? 2 : 45));
/** The embedded broker's heartbeat interval (src/main/producer/manager.ts EMBEDDED_HEARTBEAT_MS). */
const HEARTBEAT_MS = 10_000;

interface Report {
  readonly atMs: number;
  readonly cpuMs: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
  /** Heap after a forced full GC (every fifth report when the host runs with --expose-gc). */
  readonly heapAfterGcBytes?: number;
  readonly accepted: number;
  readonly embedded: { readonly url: string; readonly httpUrl: string; readonly credentialsPath: string } | null;
  readonly uplinks: readonly { readonly state: string; readonly lagMs: number; readonly queued: number; readonly inFlight: number; readonly delivered: number }[];
  readonly final?: boolean;
  readonly pending?: number;
  readonly drainMs?: number;
  readonly outboxBytes?: number;
  readonly dispatchLogBytes?: number;
}

/** A running child host and the reports it printed. */
interface Child {
  readonly process: ChildProcess;
  readonly reports: Report[];
  next(pred: (r: Report) => boolean): Promise<Report>;
  stop(): Promise<Report>;
}

function pct(values: readonly number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? NaN;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function startChild(options: Record<string, unknown>): Child {
  // node --import tsx (not the tsx wrapper): the pid is the host's own, so a kill reaches it
  // --expose-gc: the host reports its heap after a forced GC; BENCH_HOST_NODE_ARGS adds more (e.g. --cpu-prof)
  const nodeArgs = ['--expose-gc', ...(process.env.BENCH_HOST_NODE_ARGS ?? '').split(' ').filter(Boolean)];
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', join(import.meta.dirname, 'gymHost.ts'), JSON.stringify(options)], { stdio: ['ignore', 'pipe', 'inherit'] });
  const reports: Report[] = [];
  const waiters: { pred: (r: Report) => boolean; resolve: (r: Report) => void }[] = [];
  createInterface({ input: child.stdout! }).on('line', (line) => {
    let r: Report;
    try {
      r = JSON.parse(line) as Report;
    } catch (err) {
      void err; // not a report line
      return;
    }
    reports.push(r);
    for (const w of waiters.splice(0)) {
      if (w.pred(r)) w.resolve(r);
      else waiters.push(w);
    }
  });
  const next = (pred: (r: Report) => boolean): Promise<Report> => new Promise((resolve) => waiters.push({ pred, resolve }));
  return {
    process: child,
    reports,
    next,
    async stop() {
      const final = next((r) => r.final === true);
      child.kill('SIGTERM');
      const r = await final;
      await new Promise((res) => (child.exitCode !== null ? res(null) : child.once('exit', res)));
      return r;
    },
  };
}

/** CPU use (% of one core) between two reports. */
/** Least-squares slope of `y` over `x` (per unit of x). */
function slope(points: readonly { x: number; y: number }[]): number {
  const n = points.length;
  if (n < 2) return NaN;
  const mx = points.reduce((a, p) => a + p.x, 0) / n;
  const my = points.reduce((a, p) => a + p.y, 0) / n;
  const sxy = points.reduce((a, p) => a + (p.x - mx) * (p.y - my), 0);
  const sxx = points.reduce((a, p) => a + (p.x - mx) ** 2, 0);
  return sxy / sxx;
}

function cpuPct(a: Report, b: Report): number {
  return ((b.cpuMs - a.cpuMs) / (b.atMs - a.atMs)) * 100;
}

/** A consumer on the child's embedded broker that records reading → consumer latency. */
async function attachConsumer(child: Child, latencies: number[], counter: { n: number }, stride = 1): Promise<Consumer> {
  const first = await child.next((r) => r.embedded !== null);
  const creds = JSON.parse(readFileSync(first.embedded!.credentialsPath, 'utf8')) as { devId: string; apiKey: string };
  const consumer = createConsumer({
    url: first.embedded!.url,
    token: developerTokenSource(first.embedded!.httpUrl, creds.devId, creds.apiKey),
    isBackfillEnabled: false,
    onDispatch: (f) => {
      counter.n++;
      // every `stride`-th reading: a 12-minute soak stays within a few million samples
      if (counter.n % stride === 0) latencies.push(Date.now() - Date.parse(String(f.d.ts)));
    },
  });
  while (consumer.stats.state !== 'ready') await sleep(50);
  return consumer;
}

/** Readings per second of the class at real rate (simulator alone), for the soak's "hours of class data". */
async function classAtRealRate(root: string): Promise<number> {
  const simOnly = startChild({ dataDir: join(root, 'sim-only'), mode: 'simOnly', rateFactor: 1, isRecording: false, isDrainAwaited: false });
  const a0 = await simOnly.next((r) => r.atMs > 0);
  await sleep(WARMUP_S * 1000);
  const a1 = await simOnly.next(() => true);
  await sleep(CLASS_S * 1000);
  const a2 = await simOnly.next(() => true);
  await simOnly.stop();
  void a0;

  const fwd = startChild({ dataDir: join(root, 'forward'), mode: 'forward', rateFactor: 1, isRecording: false, isDrainAwaited: false });
  const latencies: number[] = [];
  const counter = { n: 0 };
  const consumer = await attachConsumer(fwd, latencies, counter);
  await fwd.next((r) => r.uplinks.length === 50 && r.uplinks.every((u) => u.state === 'ready'));
  await sleep(WARMUP_S * 1000);
  latencies.length = 0;
  const b1 = await fwd.next(() => true);
  await sleep(CLASS_S * 1000);
  const b2 = await fwd.next(() => true);
  const window = fwd.reports.filter((r) => r.atMs >= b1.atMs && r.atMs <= b2.atMs);
  const ackLags = window.flatMap((r) => r.uplinks.map((u) => u.lagMs));
  const measured = [...latencies];
  consumer.stop();
  const final = await fwd.stop();

  const simCpu = cpuPct(a1, a2);
  const fwdCpu = cpuPct(b1, b2);
  console.log(`Gym class: 50 athletes × 4 Hz through 50 uplinks to the embedded broker (real host in a child process, ${CLASS_S} s after ${WARMUP_S} s warm-up)`);
  console.log(`  reading → consumer latency: p50 ${pct(measured, 50).toFixed(0)} ms, p99 ${pct(measured, 99).toFixed(0)} ms, max ${pct(measured, 100).toFixed(0)} ms over ${measured.length} readings  (target p99 < 100 ms; ts has 1 ms resolution)`);
  console.log(`  ACK lag (oldest unacknowledged reading, per uplink each second): p50 ${(pct(ackLags, 50) / 1000).toFixed(2)} s, p99 ${(pct(ackLags, 99) / 1000).toFixed(2)} s, max ${(Math.max(...ackLags) / 1000).toFixed(2)} s vs heartbeat interval ${(HEARTBEAT_MS / 1000).toFixed(0)} s (baseline; target p99 < interval + 1 s)`);
  console.log(`  host CPU: ${fwdCpu.toFixed(1)} % of a core forwarding vs ${simCpu.toFixed(1)} % with the simulator alone (baseline, same run)  difference ${(fwdCpu - simCpu).toFixed(1)} points  (target < 25 %)`);
  const classPerS = (a2.accepted - a1.accepted) / ((a2.atMs - a1.atMs) / 1000);
  console.log(`  consumer received ${counter.n} readings in all; ${final.pending} were not yet acknowledged when the host stopped (kept in its outbox)`);
  return classPerS;
}

async function soak(root: string, classPerS: number): Promise<void> {
  const child = startChild({ dataDir: join(root, 'soak'), mode: 'forward', rateFactor: SOAK_FACTOR, isRecording: true, isDrainAwaited: true });
  const latencies: number[] = [];
  const counter = { n: 0 };
  const consumer = await attachConsumer(child, latencies, counter, 4);
  await child.next((r) => r.uplinks.length === 50 && r.uplinks.every((u) => u.state === 'ready'));
  await sleep(SOAK_WARMUP_S * 1000);
  // the window runs from one forced-GC report to another, so RSS and live heap are read at the same moments
  const start = await child.next((r) => r.heapAfterGcBytes !== undefined);
  const consumedAtStart = counter.n;
  latencies.length = 0;
  // a progress line a minute, so a long soak shows its course while it runs
  for (let leftMs = SOAK_S * 1000; leftMs > 0; leftMs -= 60_000) {
    await sleep(Math.min(60_000, leftMs));
    const r = child.reports[child.reports.length - 1]!;
    if (leftMs > 60_000) console.log(`  … ${((r.atMs - start.atMs) / 1000).toFixed(0)} s: host RSS ${(r.rssBytes / 1e6).toFixed(1)} MB, ${r.accepted - start.accepted} accepted, consumer ${counter.n - consumedAtStart}, queued ${r.uplinks.reduce((n, u) => n + u.queued, 0)}`);
  }
  const end = await child.next((r) => r.heapAfterGcBytes !== undefined);
  const window = child.reports.filter((r) => r.atMs >= start.atMs && r.atMs <= end.atMs);
  const maxLagMs = Math.max(...window.flatMap((r) => r.uplinks.map((u) => u.lagMs)));
  const maxQueued = Math.max(...window.map((r) => r.uplinks.reduce((n, u) => n + u.queued, 0)));
  const consumedInWindow = counter.n - consumedAtStart;
  const measured = [...latencies];
  const lastTenth = measured.slice(Math.floor(measured.length * 0.9));
  const final = await child.stop();
  await sleep(1000);
  consumer.stop();
  const seconds = (end.atMs - start.atMs) / 1000;
  const accepted = end.accepted - start.accepted;
  // the accelerated driver multiplies the straps' 4 Hz; beat-timed readings (RR) stay at the real beat rate
  const askedPerS = 50 * 4 * SOAK_FACTOR;
  const classHours = (seconds * SOAK_FACTOR) / 3600;
  const mb = (b: number): string => (b / 1e6).toFixed(1);
  // RSS over the soak: eleven samples from the warm-up baseline on; the second half shows growth once warm-up effects are over
  const samples = Array.from({ length: 11 }, (_, i) => window[Math.min(window.length - 1, Math.round((i / 10) * (window.length - 1)))]!);
  const mid = samples[5]!;
  const gcs = window.filter((r) => r.heapAfterGcBytes !== undefined);
  console.log(`Soak: the class at ${SOAK_FACTOR}× reading rate with a recording, ${seconds.toFixed(0)} s of wall time after a ${SOAK_WARMUP_S} s warm-up = ${classHours.toFixed(2)} h of class data (${SOAK_FACTOR}× the straps' 4 Hz; the class at real rate: ${classPerS.toFixed(0)} readings/s)`);
  if (seconds < 120) console.log(`  (a short soak: the broker's replay store (100,000 dispatches) is still filling, so RSS and heap grow by it here; tell growth from warm-up with the full soak)`);
  console.log(`  host RSS ${mb(start.rssBytes)} MB after warm-up → ${mb(end.rssBytes)} MB at the end: growth ${mb(end.rssBytes - start.rssBytes)} MB (target < 20 MB); in the second half ${mb(end.rssBytes - mid.rssBytes)} MB`);
  console.log(`  host RSS every ${(seconds / 10).toFixed(0)} s (MB): ${samples.map((r) => mb(r.rssBytes)).join(' ')}`);
  const perMin = (f: (r: Report) => number | undefined): string => {
    const points = window.flatMap((r) => (f(r) === undefined ? [] : [{ x: (r.atMs - start.atMs) / 60_000, y: f(r)! / 1e6 }]));
    const v = slope(points);
    return `${v >= 0 ? '+' : ''}${v.toFixed(2)} MB/min`;
  };
  console.log(`  trend over the window (least squares): RSS ${perMin((r) => r.rssBytes)}, heap after a forced GC ${perMin((r) => r.heapAfterGcBytes)} (a leak shows as a steady positive trend; 20 MB over a 12-minute soak is +1.7 MB/min)`);
  console.log(`  host heap after a forced GC: ${mb(start.heapAfterGcBytes ?? NaN)} MB → ${mb(end.heapAfterGcBytes ?? NaN)} MB (growth ${mb((end.heapAfterGcBytes ?? NaN) - (start.heapAfterGcBytes ?? NaN))} MB; ${gcs.length} samples, min ${mb(Math.min(...gcs.map((r) => r.heapAfterGcBytes!)))} max ${mb(Math.max(...gcs.map((r) => r.heapAfterGcBytes!)))} MB)`);
  console.log(`  keeping up: ${accepted} readings accepted (${(accepted / seconds).toFixed(0)}/s; the straps alone at ${SOAK_FACTOR}× are ${askedPerS}/s), the consumer received ${consumedInWindow} in the same window (${((consumedInWindow / Math.max(1, accepted)) * 100).toFixed(1)} %; it connected ${consumer.stats.connections} time(s): the broker closes a consumer that falls 64 MB behind, and this one reconnects without backfill), host CPU ${cpuPct(start, end).toFixed(0)} % of a core`);
  console.log(`  reading → consumer latency over the window: p50 ${pct(measured, 50).toFixed(0)} ms, p99 ${pct(measured, 99).toFixed(0)} ms, max ${pct(measured, 100).toFixed(0)} ms; in its last tenth p99 ${pct(lastTenth, 99).toFixed(0)} ms (a host that falls behind shows a growing latency); max ACK lag ${(maxLagMs / 1000).toFixed(1)} s (heartbeat ${HEARTBEAT_MS / 1000} s); most readings stored but not yet sent at once ${maxQueued}`);
  console.log(`  after the outboxes drained (${((final.drainMs ?? 0) / 1000).toFixed(1)} s): ${final.pending} undelivered, outbox files ${(((final.outboxBytes ?? 0)) / 1e3).toFixed(1)} kB, broker dispatch log ${(((final.dispatchLogBytes ?? 0)) / 1e6).toFixed(1)} MB (bounded by its retention)`);
}

/** Run the class and the soak. */
export async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'bench-gym50-'));
  try {
    const classPerS = await classAtRealRate(root);
    await soak(root, classPerS);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) void main();
