/**
 * The lab broker as a real process, killed with SIGKILL mid-stream and restarted on the same data dir:
 * seq stays monotonic and everything dispatched before the kill can still be replayed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';
import { killAndConfirmGone } from '../../support/processes';
import { TestClient, disposeClients, post } from './helpers';

const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  disposeClients();
  for (const c of children.splice(0)) c.kill('SIGKILL');
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const CREDS = { 'dev-id': 'lab', 'x-api-key': 'lab-key-0123456789' };

/** Spawn `npm run broker` (via tsx) and resolve with its `--json` line. */
function spawnBroker(args: string[]): Promise<{ child: ChildProcess; url: string; httpUrl: string; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/broker/cli.ts', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    lines.once('line', (line) => resolve({ child, ...(JSON.parse(line) as { url: string; httpUrl: string; port: number }) }));
    child.once('exit', (code) => reject(new Error(`broker exited with ${code}`)));
  });
}

async function identified(url: string, token: string, type: 0 | 1): Promise<TestClient> {
  const c = await TestClient.connect(url);
  c.send({ op: 3, d: { token, type } });
  await c.waitOp(4);
  return c;
}

async function token(httpUrl: string, path: string): Promise<string> {
  const r = await post(`${httpUrl}${path}`, CREDS);
  return (r.body as { token: string }).token;
}

describe('lab broker process', () => {
  it('after SIGKILL and a restart on the same data dir, seq continues upward and old dispatches replay', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'broker-kill-'));
    dirs.push(dir);
    const configPath = join(dir, 'broker.json');
    writeFileSync(configPath, JSON.stringify({ developers: [{ devId: 'lab', apiKey: CREDS['x-api-key'], users: ['u1'] }] }));
    const args = ['--port', '0', '--config', configPath, '--data-dir', join(dir, 'store')];
    const first = await spawnBroker(args);
    const consumer = await identified(first.url, await token(first.httpUrl, '/auth/developer'), 1);
    const producer = await identified(first.url, await token(first.httpUrl, '/auth/user?id=u1'), 0);
    for (let i = 0; i < 50; i++) producer.send({ op: 6, t: 'HEART_RATE', d: { ts: '2025-01-01T12:00:00.000Z', val: i } });
    await consumer.waitOp(5, 50);
    const before = consumer.ofOp(5).map((f) => f.text);
    await killAndConfirmGone(first.child, dir);
    await consumer.closed();

    const second = await spawnBroker(args);
    const c2 = await identified(second.url, await token(second.httpUrl, '/auth/developer'), 1);
    const p2 = await identified(second.url, await token(second.httpUrl, '/auth/user?id=u1'), 0);
    p2.send({ op: 6, t: 'HEART_RATE', d: { ts: '2025-01-01T12:00:01.000Z', val: 50 } });
    const live = await c2.waitOp(5);
    const lastBefore = JSON.parse(before[49]!).seq as number;
    expect(live.json.seq as number).toBeGreaterThan(lastBefore);
    c2.send({ op: 7, d: { after: 0, before: live.json.seq } });
    await c2.waitOp(5, 51);
    expect(c2.ofOp(5).slice(1).map((f) => f.text)).toEqual(before);
  });
});
