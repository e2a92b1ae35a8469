/**
 * Issue 11 item 10. Symptom guarded: a read-only or impossible data directory ended in a stack
 * trace. Now the host prints one line naming the folder and what to do, and exits with code 2.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '..', '..');

function runHost(dataDir: string): Promise<{ code: number | null; stderr: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'main', 'webMain.ts'), '--headless', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
    cwd: ROOT,
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.resume();
  return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stderr })));
}

describe('an unusable data folder', () => {
  it.each([
    ['a path through a file', () => {
      const file = join(mkdtempSync(join(tmpdir(), 'sr-dd-')), 'not-a-folder');
      writeFileSync(file, 'x');
      return join(file, 'data');
    }],
    ['a read-only file system', () => '/proc/sensor-relay-data'],
  ])('%s: one clear line naming the folder, no stack trace', async (_label, make) => {
    const dataDir = make();
    const { code, stderr } = await runHost(dataDir);
    expect(code).toBe(2);
    const lines = stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(dataDir);
    expect(lines[0]).toMatch(/--data-dir/);
    expect(stderr).not.toMatch(/\n\s+at /);
  });
});
