import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createConsumer } from '../../../src/broker/consumer';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../../src/broker/embedded';
import { developerTokenSource } from '../../../src/client/tokenSources';
import type { DispatchFrame } from '../../../src/shared/terra';
import { TestClient, disposeClients, sleep } from './helpers';

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  disposeClients();
  for (const f of cleanups.splice(0).reverse()) await f();
});

async function start(dataDir: string, port = 0): Promise<EmbeddedBroker> {
  const r = await startEmbeddedBroker({ dataDir, port });
  if (!r.ok) throw new Error(r.message);
  cleanups.push(() => r.value.broker.kill());
  return r.value;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'embedded-broker-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('embedded broker', () => {
  it('streams any participant end to end with in-process tokens, to the in-app monitor', async () => {
    const e = await start(tempDir());
    const got: DispatchFrame[] = [];
    const monitor = createConsumer({ url: e.broker.url, token: e.consumerTokenSource(), onDispatch: (f) => got.push(f) });
    cleanups.push(() => monitor.stop());
    const token = await e.userTokenSource('participant-7')();
    expect(token.ok).toBe(true);
    const p = await TestClient.connect(e.broker.url);
    p.send({ op: 3, d: { token: token.ok ? token.token : '', type: 0 } });
    await p.waitOp(4);
    while (monitor.stats.state !== 'ready') await sleep(10);
    p.send({ op: 6, t: 'HEART_RATE', d: { ts: '2025-01-01T12:00:00.000Z', val: 61 } });
    while (got.length === 0) await sleep(10);
    expect(got[0]).toMatchObject({ uid: 'participant-7', t: 'HEART_RATE', d: { val: 61 } });
  });

  it('keeps its credentials in a 0600 file, reused after a restart, usable by external consumers', async () => {
    const dir = tempDir();
    const first = await start(dir);
    expect(statSync(first.credentialsPath).mode & 0o777).toBe(0o600);
    await first.broker.kill();
    const second = await start(dir);
    expect(second.credentials).toEqual(first.credentials);
    const external = await developerTokenSource(second.broker.httpUrl, second.credentials.devId, second.credentials.apiKey)();
    expect(external.ok).toBe(true);
  });

  it('falls back to a free port when the preferred one is taken', async () => {
    const a = await start(tempDir());
    const b = await start(tempDir(), a.broker.port);
    expect(b.broker.port).not.toBe(a.broker.port);
  });
});
