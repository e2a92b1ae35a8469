/** The host validates every message that crosses the boundary and never throws back across it. */
import { describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../src/main/host';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function host(options: { isTestControlEnabled?: boolean } = {}): Host {
  return createHost({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sr-contract-')), ...options });
}

async function send(h: Host, raw: unknown): Promise<unknown[]> {
  const out: unknown[] = [];
  const conn = h.connect((m) => out.push(m));
  await conn.receive(raw);
  conn.close();
  return out;
}

describe('contract validation on the host', () => {
  it.each([
    ['not an object', 'hello'],
    ['missing kind', { id: 1, name: 'host.info', args: {} }],
    ['id not a number', { kind: 'call', id: 'x', name: 'host.info', args: {} }],
    ['null', null],
  ])('rejects a malformed call (%s) with CONTRACT_BAD_MESSAGE', async (_label, raw) => {
    const messages = (await send(host(), raw)) as { kind: string; reply: { ok: boolean; code: string } }[];
    const reply = messages.find((m) => m.kind === 'reply');
    expect(reply?.reply).toMatchObject({ ok: false, code: 'CONTRACT_BAD_MESSAGE' });
  });

  it('rejects an unknown command by name', async () => {
    const reply = await host().call({ kind: 'call', id: 1, name: 'fs.readFile', args: {} });
    expect(reply).toMatchObject({ ok: false, code: 'CONTRACT_UNKNOWN_COMMAND' });
  });

  it('rejects arguments that do not match the schema, naming the field', async () => {
    const h = host();
    const bad = await h.call({ kind: 'call', id: 1, name: 'sim.setValue', args: { deviceId: 'sim:x', metric: 'heartRate', value: 'fast' } });
    expect(bad).toMatchObject({ ok: false, code: 'CONTRACT_BAD_ARGS' });
    expect(!bad.ok && bad.message).toContain('value');
    const unknownMetric = await h.call({ kind: 'call', id: 2, name: 'sim.setValue', args: { deviceId: 'sim:x', metric: 'mood', value: 1 } });
    expect(unknownMetric).toMatchObject({ ok: false, code: 'CONTRACT_BAD_ARGS' });
  });

  it('refuses ingested samples with NaN, unknown metrics or missing fields and accepts good ones', async () => {
    const h = host();
    const nan = await h.call({ kind: 'call', id: 1, name: 'samples.ingest', args: { samples: [{ tMs: 1, deviceId: 'ble:a', metric: 'heartRate', value: NaN }] } });
    expect(nan).toMatchObject({ ok: false, code: 'CONTRACT_BAD_ARGS' });
    const good = await h.call({ kind: 'call', id: 2, name: 'samples.ingest', args: { samples: [{ tMs: 1, deviceId: 'ble:a', metric: 'heartRate', value: 60 }] } });
    expect(good).toEqual({ ok: true, value: { accepted: 1 } });
  });

  it('turns a failing handler into an error reply with a stable code', async () => {
    const reply = await host({ isTestControlEnabled: true }).call({ kind: 'call', id: 1, name: 'sim.dropout', args: { deviceId: 'sim:nope' } });
    expect(reply).toMatchObject({ ok: false, code: 'SIM_UNKNOWN_DEVICE' });
  });

  it('only lets UI processes report BLE devices', async () => {
    const reply = await host().call({
      kind: 'call',
      id: 1,
      name: 'devices.report',
      args: { device: { id: 'ant:120:1', name: 'x', kind: 'hr', source: 'ant', status: 'live', batteryPct: null, contact: null, isSimulated: false } },
    });
    expect(reply).toMatchObject({ ok: false, code: 'CONTRACT_BAD_ARGS' });
  });
});
