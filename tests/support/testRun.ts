/**
 * The test run's process marker and the leftover-process guard.
 *
 * Global setup (Vitest and Playwright) puts `SENSOR_RELAY_TEST_RUN=<run id>` into the runner's
 * environment, so every process the tests start, and every process those start, inherits it. At the
 * end, global teardown scans `/proc/<pid>/environ` (Linux) for that exact id and fails the run naming
 * every process still alive (pid and command line). Processes of other runs or other checkouts carry
 * another id and are never flagged; neither is the runner itself, its ancestors nor its own children
 * (its workers and tsx's esbuild service, which end with it). On systems without
 * `/proc`, the guard falls back to the registry of pids that `spawnNode` (processes.ts) writes.
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Name of the environment variable that marks every process started by one test run. */
export const TEST_RUN_ENV = 'SENSOR_RELAY_TEST_RUN';

/** A process the guard found alive. */
export interface LeftoverProcess {
  readonly pid: number;
  readonly cmdline: string;
}

/** The current run id, creating and exporting one when this process is the first to ask. */
export function ensureTestRunId(): string {
  const existing = process.env[TEST_RUN_ENV];
  if (existing) return existing;
  const id = `${process.pid}-${randomUUID().slice(0, 8)}`;
  process.env[TEST_RUN_ENV] = id;
  return id;
}

/** Path of the pid registry of a run (the fallback where `/proc` is missing). */
export function pidRegistryPath(runId: string): string {
  return join(tmpdir(), `sensor-relay-test-${runId.replace(/[^\w-]/g, '_')}.pids`);
}

/** Record a pid the tests started (for systems without `/proc`). */
export function registerPid(pid: number, cmdline: string): void {
  const runId = process.env[TEST_RUN_ENV];
  if (!runId) return;
  appendFileSync(pidRegistryPath(runId), `${pid}\t${cmdline.replace(/\s+/g, ' ')}\n`);
}

/** Whether a process with this pid exists (signal 0 probes without signalling). */
export function isPidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists but belongs to someone else; ESRCH: gone.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readProc(pid: string, file: string): string | null {
  try {
    return readFileSync(`/proc/${pid}/${file}`, 'utf8');
  } catch (err) {
    // The process ended between listing and reading, or is not ours to read.
    if (['ENOENT', 'ESRCH', 'EACCES', 'EPERM'].includes((err as NodeJS.ErrnoException).code ?? '')) return null;
    throw err;
  }
}

function parentOf(pid: number): number {
  const stat = readProc(String(pid), 'stat');
  if (!stat) return 0;
  // "pid (comm) state ppid ...": comm may contain spaces and parentheses, so split after the last ')'.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[1] ?? 0);
}

function ancestorsOfSelf(): Set<number> {
  const out = new Set<number>();
  let pid = process.pid;
  while (pid > 1 && !out.has(pid)) {
    out.add(pid);
    pid = existsSync('/proc') ? parentOf(pid) : 0;
  }
  return out;
}

/** The marker of a long-lived helper the runner itself stops later (Playwright's web server): `<run id>:<role>`. */
export function roleMarker(runId: string, role: string): string {
  return `${runId}:${role}`;
}

/**
 * Processes alive now that carry this run id (exact match; with `withRoles`, also `<run id>:<role>`),
 * except this process and its ancestors and any pid `isExempt` accepts (for example the runner's own
 * workers while they shut down).
 */
export function findLeftovers(runId: string, isExempt: (p: LeftoverProcess) => boolean = () => false, withRoles = false): LeftoverProcess[] {
  const skip = ancestorsOfSelf();
  const found: LeftoverProcess[] = [];
  if (existsSync('/proc/self/environ')) {
    const needle = `${TEST_RUN_ENV}=${runId}`;
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name) || skip.has(Number(name))) continue;
      const environ = readProc(name, 'environ');
      if (!environ || !environ.split('\0').some((v) => v === needle || (withRoles && v.startsWith(`${needle}:`)))) continue;
      const status = readProc(name, 'stat');
      if (status && / Z /.test(status.slice(status.lastIndexOf(')')))) continue; // a zombie holds no resources
      // The checker's own helpers (tsx's esbuild service, the runner's workers) are its children.
      if (parentOf(Number(name)) === process.pid) continue;
      const cmdline = (readProc(name, 'cmdline') ?? '').split('\0').join(' ').trim();
      const p = { pid: Number(name), cmdline };
      if (!isExempt(p)) found.push(p);
    }
    return found;
  }
  const registry = pidRegistryPath(runId);
  if (!existsSync(registry)) return found;
  for (const line of readFileSync(registry, 'utf8').split('\n')) {
    const [pidText, cmdline = ''] = line.split('\t');
    const pid = Number(pidText);
    if (pid > 0 && !skip.has(pid) && isPidAlive(pid)) {
      const p = { pid, cmdline };
      if (!isExempt(p)) found.push(p);
    }
  }
  return found;
}

/** Wait up to `graceMs` for leftovers to end by themselves; returns the ones still alive then. */
export async function waitForLeftovers(runId: string, graceMs: number, isExempt?: (p: LeftoverProcess) => boolean, withRoles = false): Promise<LeftoverProcess[]> {
  const endMs = Date.now() + graceMs;
  let left = findLeftovers(runId, isExempt, withRoles);
  while (left.length > 0 && Date.now() < endMs) {
    await new Promise((r) => setTimeout(r, 100));
    left = findLeftovers(runId, isExempt, withRoles);
  }
  return left;
}

/** A sentence naming the leftover processes, for a failing teardown. */
export function describeLeftovers(runner: string, left: readonly LeftoverProcess[]): string {
  const lines = left.map((p) => `  pid ${p.pid}: ${p.cmdline || '(no command line)'}`);
  return `${runner}: ${left.length} process(es) started by the tests are still running after the run:\n${lines.join('\n')}\nA test started them and did not stop them; kill them by pid and fix the test.`;
}

/** Remove the pid registry of a run. */
export function clearPidRegistry(runId: string): void {
  rmSync(pidRegistryPath(runId), { force: true });
}
