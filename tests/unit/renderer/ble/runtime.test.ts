/**
 * The renderer's BLE runtime against the real contract schemas: samples are batched into
 * `samples.ingest` calls the host accepts, device changes go out as valid `devices.report`, removal
 * and page close tell the host, and sim mode offers one simulated sensor of each kind plus the
 * scenario's BLE devices.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { COMMANDS, type CommandName } from '../../../../src/shared/contract';
import { scenarioDeviceSchema } from '../../../../src/shared/scenario';
import { BleRuntime, scenarioBleDevices, simulatedPeripherals, startBle, type BleHostClient } from '../../../../src/renderer/ble/bleRuntime';
import { memoryStorage } from '../../../../src/renderer/ble/knownDevices';
import { createRawLogBatcher, type RawLogMessage } from '../../../../src/renderer/ble/rawLogBatcher';
import { decodeHeartRateMeasurement } from '../../../../src/shared/gatt/heartRateMeasurement';

beforeEach(() => {
  vi.useFakeTimers({ now: 1_700_000_000_000 });
});
afterEach(() => {
  vi.useRealTimers();
});

/** A host client that validates every call with the contract's own argument schema. */
function recordingClient(): { client: BleHostClient; calls: { name: CommandName; args: unknown }[] } {
  const calls: { name: CommandName; args: unknown }[] = [];
  const client: BleHostClient = {
    async call(name, args) {
      const parsed = COMMANDS[name].args.safeParse(args);
      if (!parsed.success) throw new Error(`${name} rejected by the contract: ${parsed.error.message}`);
      calls.push({ name, args: parsed.data });
      return { ok: true, value: (name === 'samples.ingest' ? { accepted: 0 } : null) as never };
    },
  };
  return { client, calls };
}

describe('BLE runtime', () => {
  it('sends contract-valid device reports and batches samples (not one call per notification)', async () => {
    const { client, calls } = recordingClient();
    const runtime = startBle({ client, isSimulated: true, storage: memoryStorage(), flushMs: 50 });
    expect(runtime).toBeInstanceOf(BleRuntime);
    const added = await runtime.addSensor('hr');
    expect(added).toEqual({ ok: true, value: 'ble:SIMdefault-hr' });
    await vi.advanceTimersByTimeAsync(10_000);
    const reports = calls.filter((c) => c.name === 'devices.report').map((c) => (c.args as { device: { status: string; isSimulated: boolean } }).device);
    expect(reports.map((d) => d.status)).toContain('live');
    expect(reports.every((d) => d.isSimulated)).toBe(true);
    const ingests = calls.filter((c) => c.name === 'samples.ingest');
    const samples = ingests.flatMap((c) => (c.args as { samples: { metric: string; value: number }[] }).samples);
    expect(samples.filter((s) => s.metric === 'heartRate').length).toBeGreaterThanOrEqual(9);
    expect(samples.find((s) => s.metric === 'heartRate')?.value).toBe(72);
    // HR, RR, contact and battery of one notification travel together
    expect(ingests.length).toBeLessThan(samples.length);
    expect(runtime.snapshot().devices.map((d) => d.status)).toEqual(['live']);
    runtime.dispose();
  });

  it('removing a sensor and closing the page tell the host', async () => {
    const { client, calls } = recordingClient();
    const runtime = startBle({ client, isSimulated: true, storage: memoryStorage() });
    await runtime.addSensor('hr');
    await runtime.addSensor('power');
    await vi.advanceTimersByTimeAsync(2000);
    runtime.remove('ble:SIMdefault-hr');
    runtime.dispose();
    await vi.advanceTimersByTimeAsync(0);
    expect(calls.filter((c) => c.name === 'devices.forget').map((c) => (c.args as { deviceId: string }).deviceId)).toEqual([
      'ble:SIMdefault-hr',
      'ble:SIMdefault-power',
    ]);
  });

  it('reports a clear error, with its code, when no Web Bluetooth exists', async () => {
    const { client } = recordingClient();
    const runtime = startBle({ client, isSimulated: false, storage: memoryStorage() });
    expect(runtime.snapshot()).toMatchObject({ isAvailable: false, lastError: { code: 'BLE_UNAVAILABLE' } });
    expect(await runtime.addSensor('hr')).toMatchObject({ ok: false, code: 'BLE_UNAVAILABLE' });
  });

  it('sim mode offers the scenario\'s BLE devices first, then one of each kind', () => {
    const strap = scenarioDeviceSchema.parse({ id: 'strap', name: 'Scenario strap', kind: 'hr', transport: 'ble', metrics: {} });
    const sampleLevel = scenarioDeviceSchema.parse({ id: 'pod', name: 'Pod', kind: 'rsc', metrics: {} });
    const list = simulatedPeripherals([strap, sampleLevel]);
    expect(list.map((d) => d.name)).toEqual([
      'Scenario strap',
      'Sim Heart-rate strap',
      'Sim Power meter',
      'Sim Speed & cadence sensor',
      'Sim Foot pod',
      'Sim Smart bike / trainer',
      'Sim Treadmill',
    ]);
    expect(scenarioBleDevices('no-such-scenario')).toEqual([]);
    expect(scenarioBleDevices(null)).toEqual([]);
  });
});

describe('raw log for the recorder', () => {
  it('every notification reaches raw.ingest byte for byte, batched, in contract-valid messages', async () => {
    const { client, calls } = recordingClient();
    const extra: string[] = [];
    const runtime = startBle({ client, isSimulated: true, storage: memoryStorage(), onRaw: (_d, ch) => extra.push(ch) });
    await runtime.addSensor('hr');
    await vi.advanceTimersByTimeAsync(10_000);
    runtime.dispose();
    const batches = calls.filter((c) => c.name === 'raw.ingest').map((c) => (c.args as { messages: RawLogMessage[] }).messages);
    const messages = batches.flat();
    const hr = messages.filter((m) => m.characteristic === '00002a37-0000-1000-8000-00805f9b34fb');
    expect(hr.length).toBeGreaterThanOrEqual(9);
    expect(batches.length).toBeLessThan(messages.length);
    expect(extra.length).toBe(messages.length);
    // the logged bytes decode to what the strap sent (72 bpm), so a replay gives the same samples
    for (const m of hr) {
      const bytes = Uint8Array.from(m.bytesHex.match(/../g) ?? [], (h) => parseInt(h, 16));
      const d = decodeHeartRateMeasurement(new DataView(bytes.buffer));
      expect(d.ok && d.value.heartRateBpm).toBe(72);
    }
    expect(messages.some((m) => m.characteristic === '00002a19-0000-1000-8000-00805f9b34fb' && m.bytesHex === '5a')).toBe(true);
  });

  it('the batcher splits at the contract limit of 5000 messages per call', () => {
    const sent: RawLogMessage[][] = [];
    const raw = createRawLogBatcher((messages) => sent.push(messages));
    for (let i = 0; i < 12_001; i++) raw.onRaw('ble:AA', '00002a37-0000-1000-8000-00805f9b34fb', Uint8Array.of(0x00, i & 0xff), 1 + i);
    raw.flush();
    expect(sent.map((b) => b.length)).toEqual([5000, 5000, 2001]);
    expect(sent[2]!.at(-1)).toEqual({ tMs: 12_001, deviceId: 'ble:AA', characteristic: '00002a37-0000-1000-8000-00805f9b34fb', bytesHex: '00e0' }); // 12000 & 0xff = 0xe0
  });
});
