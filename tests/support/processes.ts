/**
 * Child processes for tests: run a TypeScript entry point in a Node process of its own and kill
 * exactly the process that runs the code.
 *
 * tsx's command-line launcher (the `tsx` bin script) is a wrapper that starts a second Node process; a signal sent to the wrapper
 * never reaches the code, which keeps running re-parented to init. So children are started as
 * `node --import tsx <file>` (one process, the one that runs the code), and `killAndConfirmGone`
 * asserts after the kill that neither the pid nor any process whose command line names the test's
 * unique marker (its temporary data directory) is still alive.
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { isPidAlive, registerPid } from './testRun';
import { waitFor } from './wait';

/** Repository root. */
export const ROOT = join(import.meta.dirname, '..', '..');

/** Start `node --import tsx <script> ...args` (cwd: the repository root) and register its pid for the leftover guard. */
export function spawnNode(script: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  const argv = ['--import', 'tsx', script, ...args];
  const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], ...options });
  if (child.pid !== undefined) registerPid(child.pid, `${process.execPath} ${argv.join(' ')}`);
  return child;
}

/** Pids of live processes whose command line contains `marker` (Linux; empty elsewhere). */
export function pidsMatching(marker: string): number[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const out: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    let cmdline: string;
    try {
      cmdline = readFileSync(`/proc/${name}/cmdline`, 'utf8');
    } catch (err) {
      if (['ENOENT', 'ESRCH', 'EACCES'].includes((err as NodeJS.ErrnoException).code ?? '')) continue;
      throw err;
    }
    if (cmdline.split('\0').join(' ').includes(marker) && isPidAlive(Number(name))) out.push(Number(name));
  }
  return out;
}

/** Resolve once `child` has exited (at once when it already has). */
export function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * SIGKILL `child` and prove the code it ran is gone: its pid answers ESRCH and no process whose
 * command line contains `marker` survives. Survivors are killed (so nothing leaks) and the call
 * throws naming them: a kill that hit only a wrapper makes the test fail here.
 */
export async function killAndConfirmGone(child: ChildProcess, marker: string): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) throw new Error('the child never started');
  child.kill('SIGKILL');
  await exited(child);
  await waitFor(() => !isPidAlive(pid), `pid ${pid} to be gone after SIGKILL`, 5000);
  try {
    await waitFor(() => pidsMatching(marker).length === 0, `every process running ${marker} to be gone`, 2000);
  } catch {
    const survivors = pidsMatching(marker);
    for (const p of survivors) process.kill(p, 'SIGKILL');
    throw new Error(`SIGKILL of pid ${pid} did not stop the code it started: pid(s) ${survivors.join(', ')} still ran ${marker}`);
  }
}

/** Stop a child politely (SIGTERM), then SIGKILL after `graceMs`; resolves once it has exited. */
export async function stopChild(child: ChildProcess, graceMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited(child);
  clearTimeout(timer);
}
