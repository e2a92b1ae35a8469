/**
 * Broker limits (issue 11 items 13-15). Symptoms guarded: the replay store grew to 140 MB from
 * large frames; REPLAY ignored the slow-consumer limit (73 MB buffered for a consumer that never
 * read); 3,000 unidentified sockets were accepted; STATUS of developer B's user `bob` was
 * overwritten by developer A's `bob`; oversize frames closed 1009 without a reason or a count;
 * `POST /auth/*` read any body; the standalone broker ran on 0.0.0.0 with the public dev key.
 */
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Broker } from '../../../src/broker/broker';
import { MAX_AUTH_BODY_BYTES } from '../../../src/broker/http';
import { FRAME_TOO_BIG_REASON } from '../../../src/broker/session';
import { MAX_FRAME_BYTES } from '../../../src/shared/terra';
import { disposeClients, LAB, OTHER, readyClient, startBroker, TestClient } from './helpers';

const brokers: Broker[] = [];
afterEach(async () => {
  disposeClients();
  while (brokers.length) await brokers.pop()!.close();
});

async function broker(over: Parameters<typeof startBroker>[0] = {}): Promise<Broker> {
  const b = await startBroker(over);
  brokers.push(b);
  return b;
}

const big = (i: number) => ({ ts: '2025-01-01T12:00:00.000Z', val: i, note: 'x'.repeat(4000) });

describe('broker limits', () => {
  it('retains replay frames by bytes as well as by count', async () => {
    const b = await broker({ replay: { maxBytes: 200_000 } });
    for (let i = 0; i < 200; i++) b.admin.injectSynthetic('u1', 'HEART_RATE', big(i));
    const stream = b.admin.stats().streams.lab!;
    expect(stream.retainedBytes).toBeLessThanOrEqual(200_000);
    expect(stream.retained).toBeGreaterThan(10);
    expect(stream.retained).toBeLessThan(200);
  });

  it('closes a consumer that stops reading during REPLAY, as it does for live frames', async () => {
    const b = await broker({ maxConsumerBufferBytes: 256 * 1024 });
    for (let i = 0; i < 2000; i++) b.admin.injectSynthetic('u1', 'HEART_RATE', big(i));
    const lastSeq = b.admin.stats().streams.lab!.lastSeq;
    const c = await readyClient(b, 'consumer');
    c.stopHeartbeat();
    const socket = (c.ws as unknown as { _socket: { pause(): void; resume(): void } })._socket;
    c.send({ op: 7, d: { after: 0, before: lastSeq + 1 } });
    socket.pause();
    await vi.waitFor(() => expect(b.admin.stats().counters.slowConsumers).toBe(1), { timeout: 15_000 });
    socket.resume();
    expect(await c.closed(15_000)).toMatchObject({ code: 1011, reason: 'consumer too slow' });
  });

  it('caps sockets that have not identified yet and counts the refusals', async () => {
    const b = await broker({ maxUnidentifiedSessions: 3 });
    for (let i = 0; i < 3; i++) await TestClient.connect(b.url);
    await expect(TestClient.connect(b.url)).rejects.toThrow(/503/);
    expect(b.admin.stats().counters.refusedUnidentified).toBe(1);
  });

  it('keeps STATUS per developer: two developers\' users named bob do not see each other', async () => {
    const b = await broker({ developers: [{ ...LAB, users: ['bob'] }, { ...OTHER, users: ['bob'] }], rtTokens: [] });
    const other = await readyClient(b, 'producer', 'bob', OTHER);
    other.send({ op: 8, d: { connected: false, reason: 'from other' } });
    await vi.waitFor(() => expect(b.admin.status('bob', OTHER.devId)).toMatchObject({ reason: 'from other' }));
    expect(b.admin.status('bob', LAB.devId)).toBeNull();
    const res = await fetch(`${b.httpUrl}/admin/status?user=bob`, { headers: { 'dev-id': LAB.devId, 'x-api-key': LAB.apiKey } });
    expect(await res.json()).toEqual({ userId: 'bob', status: null });
  });

  it('closes an oversize frame with 1009 "frame too big" and counts it', async () => {
    const b = await broker();
    const p = await readyClient(b, 'producer');
    p.send({ op: 6, t: 'HEART_RATE', d: { ts: '2025-01-01T12:00:00.000Z', val: 1, pad: 'x'.repeat(MAX_FRAME_BYTES) } });
    expect(await p.closed()).toMatchObject({ code: 1009, reason: FRAME_TOO_BIG_REASON });
    await vi.waitFor(() => expect(b.admin.stats().counters.oversizeFrames).toBe(1));
    expect(b.admin.stats().closes['1009']).toBe(1);
  });

  it('refuses token requests with a body over the cap (413) instead of reading it', async () => {
    const b = await broker();
    const res = await fetch(`${b.httpUrl}/auth/user?id=u1`, {
      method: 'POST',
      headers: { 'dev-id': LAB.devId, 'x-api-key': LAB.apiKey },
      body: 'x'.repeat(MAX_AUTH_BODY_BYTES * 100),
    });
    expect(res.status).toBe(413);
    expect(await res.json()).toMatchObject({ error: 'body_too_large' });
  });

  it('the standalone broker will not listen beyond loopback with the public development credentials', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/broker/cli.ts', '--host', '0.0.0.0', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(code).toBe(2);
    expect(out).toMatch(/development credentials/);
    expect(out).not.toMatch(/listening/);
  });
});
