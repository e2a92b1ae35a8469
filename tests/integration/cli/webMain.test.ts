/**
 * Regression (issue 15 item 9), the real entry as a user runs it: `--help` exits 0 on stdout;
 * a bad port is one `Sensor Relay:` line on stderr with exit 2; startup prints the address the
 * built-in broker actually listens on (another instance may hold 8790) and the consumer command for it.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';

const ENTRY = join(import.meta.dirname, '..', '..', '..', 'src', 'main', 'webMain.ts');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const children: ReturnType<typeof spawn>[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.exitCode === null) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function start(args: string[]): { child: ReturnType<typeof spawn>; done: Promise<Run>; out: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ENTRY, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (b: Buffer) => (stdout += b.toString()));
  child.stderr!.on('data', (b: Buffer) => (stderr += b.toString()));
  const done = new Promise<Run>((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  return { child, done, out: () => stdout };
}

describe('web/headless entry', () => {
  it('--help exits 0 with the usage on stdout', async () => {
    const r = await start(['--help']).done;
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: npm run web');
    expect(r.stdout).toContain('gym50');
    expect(r.stderr).toBe('');
  });

  it('--port -1 is one clear line and exit 2', async () => {
    const r = await start(['--port', '-1']).done;
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toEqual(['Sensor Relay: --port must be a whole number from 0 to 65535, not "-1". Run with --help to see the options.']);
  });

  it('startup prints where the built-in broker listens and the consumer command for that address', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sr-cli-'));
    dirs.push(dataDir);
    const run = start(['--headless', '--port', '0', '--data-dir', dataDir]);
    const deadline = Date.now() + 25_000;
    while (!/npm run consumer/.test(run.out()) && run.child.exitCode === null && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    const out = run.out();
    const url = /Built-in broker on (ws:\/\/127\.0\.0\.1:(\d+)\/connect)/.exec(out);
    expect(url, out).not.toBeNull();
    expect(Number(url![2])).toBeGreaterThan(0);
    expect(out).toContain(`npm run consumer -- --url ${url![1]} --dev-id local`);
    expect(out).toContain(join(dataDir, 'broker', 'credentials.json'));
    run.child.kill('SIGTERM');
    expect((await run.done).code).toBe(0);
  });
});
