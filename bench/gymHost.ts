/**
 * Child process of bench/gym50.ts: the real headless host (`createHost`) with the `gym50` scenario
 * (50 athletes, one strap each, every reading rate multiplied by `rateFactor`), a roster that gives
 * every athlete a Terra user id (so 50 uplinks), and either the embedded broker as the uplinks'
 * target (`forward`) or no broker at all (`simOnly`, the baseline). Optionally records a session.
 *
 *   tsx bench/gymHost.ts '<json options>'
 *
 * Prints one JSON line per second: CPU time used (ms), RSS and heap (every fifth line after a forced
 * GC when run with --expose-gc), readings accepted, per-uplink outbox
 * figures, and once the broker is up the embedded broker's URL and credentials file. On SIGTERM:
 * stop the simulator, wait until every outbox is delivered (when asked; at most 60 s), print a final line with
 * the outbox and dispatch-log sizes on disk, stop the host and exit.
 */
import { readdirSync, statSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { createHost } from '../src/main/host';
import { loadScenario } from '../src/main/sim/scenarioFiles';

interface Options {
  readonly dataDir: string;
  readonly mode: 'forward' | 'simOnly';
  readonly rateFactor: number;
  readonly isRecording: boolean;
  /** On SIGTERM wait (at most 60 s) until every outbox is delivered before the final report. */
  readonly isDrainAwaited: boolean;
}

/** Total size (bytes) of the files under `dir`. */
function sizeOf(dir: string): number {
  if (!existsSync(dir)) return 0;
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? sizeOf(p) : statSync(p).size;
  }
  return n;
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? '{}') as Options;
  const scenario = loadScenario('gym50');
  if (!scenario.ok) throw new Error(scenario.message);
  // accelerate: every device reads `rateFactor` times as often (the parsed scenario is not re-validated)
  const devices = scenario.value.devices.map((d) => ({ ...d, rateHz: d.rateHz * options.rateFactor }));
  mkdirSync(options.dataDir, { recursive: true });
  const isForwarding = options.mode === 'forward';
  writeFileSync(join(options.dataDir, 'broker-settings.json'), JSON.stringify({ version: 1, isEnabled: isForwarding, target: { kind: 'embedded' }, tokenSource: { kind: 'embedded' }, embeddedPort: 0 }));
  const host = createHost({ mode: 'headless', dataDir: options.dataDir, scenario: { ...scenario.value, devices }, isAntUsbEnabled: false });
  const rows = ['id,name,terra_user_id,devices'];
  devices.forEach((d, i) => rows.push(`a${i + 1},Athlete ${i + 1},terra-a${i + 1},sim:${d.id}`));
  const imported = host.roster.importCsv(rows.join('\n'), 'replace');
  if (!imported.ok) throw new Error(imported.message);
  await host.start();
  if (options.rateFactor > 1) {
    // the simulator emits at most one reading per device per tick: drive it through every due time
    // since the last turn (readings carry their due time, at most one turn in the past)
    host.sim.stop();
    const stepMs = 1000 / (4 * options.rateFactor);
    let lastMs = Date.now();
    const accelerated = setInterval(() => {
      const now = Date.now();
      for (let t = lastMs + stepMs; t <= now; t += stepMs) {
        host.sim.tick(t);
        lastMs = t;
      }
    }, 20);
    process.once('SIGTERM', () => clearInterval(accelerated));
  }
  if (options.isRecording) {
    const started = await host.recording.start({ subjectId: 'soak', sessionId: 'soak', isStartAnyway: true });
    if (!started.ok) throw new Error(started.message);
  }
  // with --expose-gc: every 5th report first forces a full GC, so its heap figure is live data only
  const gc = (globalThis as { gc?: () => void }).gc;
  let reports = 0;
  const report = (extra: Record<string, unknown> = {}): void => {
    const isGcReport = gc !== undefined && (reports++ % 5 === 0 || extra.final === true);
    if (isGcReport) gc();
    const cpu = process.cpuUsage();
    const state = host.broker.state();
    const mem = process.memoryUsage();
    console.log(JSON.stringify({
      atMs: Date.now(),
      cpuMs: (cpu.user + cpu.system) / 1000,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      ...(isGcReport ? { heapAfterGcBytes: mem.heapUsed } : {}),
      accepted: host.hub.stats.accepted,
      embedded: state.embedded,
      uplinks: state.uplinks.map((u) => ({ state: u.state, lagMs: u.outbox.lagMs, queued: u.outbox.queued, inFlight: u.outbox.inFlight, delivered: u.outbox.delivered, connections: u.connections })),
      ...extra,
    }));
  };
  const timer = setInterval(() => report(), 1000);
  report();
  process.once('SIGTERM', () => {
    clearInterval(timer);
    host.sim.stop();
    if (options.isRecording) host.recording.stop();
    const startedMs = Date.now();
    const poll = setInterval(() => {
      const pending = host.broker.state().uplinks.reduce((n, u) => n + u.outbox.queued + u.outbox.inFlight, 0);
      if (options.isDrainAwaited && pending > 0 && Date.now() - startedMs < 60_000) return;
      clearInterval(poll);
      report({ final: true, pending, drainMs: Date.now() - startedMs, outboxBytes: sizeOf(join(options.dataDir, 'outbox')), dispatchLogBytes: sizeOf(join(options.dataDir, 'broker')) });
      void host.stop().then(() => process.exit(0));
    }, 100);
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
