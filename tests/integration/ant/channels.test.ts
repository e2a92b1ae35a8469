/**
 * Our channel handling and framing against the strict simulated stick (it checks every checksum and channel
 * state). Each case names the failure it guards against — most were bugs of the ant-plus-next 0.4.0 channel code
 * this app used before it set its channels up itself (docs/ant-plus.md §9).
 */
import { describe, expect, it } from 'vitest';
import { AntSampleAdapter } from '../../../src/main/ant/adapter';
import { AntStickDriver } from '../../../src/main/ant/driver';
import { AntService } from '../../../src/main/ant/antService';
import { StickSession } from '../../../src/main/ant/stickSession';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import { fromHex, repairChecksum } from '../../../src/shared/ant/frame';
import type { AntTransport } from '../../../src/main/ant/transport';
import { collector, runFor, settle, steadyDevice, testClock } from './harness';

async function startedSession(sim: SimAntStick): Promise<{ driver: AntStickDriver; session: StickSession; sink: ReturnType<typeof collector> }> {
  const driver = new AntStickDriver(sim, { now: () => sim.nowMs });
  expect((await driver.start()).ok).toBe(true);
  const sink = collector();
  const adapter = new AntSampleAdapter({ sink, onDeviceSeen: () => undefined });
  driver.frameTap = (f, t) => adapter.onFrame(f, t);
  const session = new StickSession({ driver, adapter, attachTimeoutMs: 1000 });
  return { driver, session, sink };
}

async function advance(sim: SimAntStick, toMs: number, stepMs = 50): Promise<void> {
  for (let t = sim.nowMs + stepMs; t <= toMs; t += stepMs) {
    sim.advanceTo(t);
    await settle();
  }
}

describe('framing: several ANT messages in one USB transfer', () => {
  it('decodes both messages of one transfer (the library decoded the second as a copy of the first)', async () => {
    const bytes = fromHex('A4 0E 4E 00 04 FF 00 00 00 04 01 3C 80 01 00 78 01 DE A4 0E 4E 00 04 FF 00 00 00 04 01 96 80 02 00 78 01 77');
    let deliver: (t: Uint8Array) => void = () => undefined;
    const transport: AntTransport = {
      descriptor: { key: 'b1', vendorId: 0x0fcf, productId: 0x1008, label: 'test stick', isSimulated: true },
      open: () => ({ ok: true, value: undefined }),
      startReading: (onData) => (deliver = onData),
      write: async () => undefined,
      close: async () => undefined,
    };
    const driver = new AntStickDriver(transport);
    await driver.open();
    const frames: [number, number][] = [];
    driver.frameTap = (f) => frames.push([f[13]! | (f[14]! << 8), f[11]!]);
    const usbBuffer = new Uint8Array(64);
    usbBuffer.set(bytes);
    deliver(usbBuffer.subarray(0, bytes.length));
    await settle();
    expect(frames).toEqual([
      [1, 60],
      [2, 150],
    ]);
  });
});

describe('close: every channel is closed and unassigned', () => {
  it('closes three paired channels one at a time, each after EVENT_CHANNEL_CLOSED (the library skipped every second one)', async () => {
    const sim = new SimAntStick({ key: 'close' });
    for (const n of [11, 12, 13]) sim.addDevice(steadyDevice('hr', n, { heartRate: 70 }));
    const { session } = await startedSession(sim);
    const errors = await session.startPaired([11, 12, 13].map((deviceNumber) => ({ deviceType: 0x78, deviceNumber })));
    expect(errors).toEqual([]);
    expect(session.channelsUsed).toBe(3);
    await session.close();
    const log = sim.stats.hostLog;
    expect(log.filter((f) => f[2] === 0x4c).map((f) => f[3])).toEqual([0, 1, 2]);
    expect(log.filter((f) => f[2] === 0x41).map((f) => f[3])).toEqual([0, 1, 2]);
    expect(session.channelsUsed).toBe(0);
  });
});

describe('checksums: a frame whose checksum is 0xFF', () => {
  it('pairs device 119 (its channel-ID frame checksum is 0xFF, which the library wrote as 0x00) and the stick accepts it', async () => {
    const sim = new SimAntStick({ key: 'chk' });
    sim.addDevice(steadyDevice('hr', 119, { heartRate: 90 }));
    const { session, sink } = await startedSession(sim);
    expect(await session.startPaired([{ deviceType: 0x78, deviceNumber: 119 }])).toEqual([]);
    const channelId = sim.stats.hostLog.find((f) => f[2] === 0x51)!;
    expect(channelId[channelId.length - 1]).toBe(0xff);
    expect(sim.stats.badChecksumsFromHost).toBe(0);
    await advance(sim, 1000);
    expect(sink.of('ant:120:119', 'heartRate').at(-1)?.value).toBe(90);
    await session.close();
  });
});

describe('capabilities: a stick without scan mode', () => {
  it('falls back to paired channels without ever sending Open RX Scan, and data arrives', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'noscan', canScan: false });
    sim.addDevice(steadyDevice('hr', 5, { heartRate: 77 }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    await runFor(clock, 2000, (t) => bus.advanceTo(t));
    const st = service.status().sticks[0]!;
    expect(st.mode).toBe('paired');
    expect(st.error?.code).toBe('ANT_SCAN_UNSUPPORTED');
    expect(sim.stats.hostLog.some((f) => f[2] === 0x5b)).toBe(false);
    expect(sink.of('ant:120:5', 'heartRate').at(-1)?.value).toBe(77);
    await service.stop();
  });

  it('reports a refused channel command with the step that failed instead of a channel that never opens', async () => {
    const sim = new SimAntStick({ key: 'refuse', maxChannels: 2 });
    const { session } = await startedSession(sim);
    // the simulated stick refuses Open RX Scan while another channel is open: open channel 1 first
    expect(await session.startPaired([{ deviceType: 0x78, deviceNumber: 0 }, { deviceType: 0x78, deviceNumber: 0 }])).toEqual([]);
    const scan = new StickSession({ driver: (session as unknown as { opts: { driver: AntStickDriver } }).opts.driver, adapter: new AntSampleAdapter({ sink: collector(), onDeviceSeen: () => undefined }), attachTimeoutMs: 500 });
    const err = await scan.startScan();
    expect(err?.code).toBe('ANT_CHANNEL_FAILED');
    expect(err?.message).toMatch(/did not confirm scan mode \(message 0x42 refused with code 0x15\)/);
  });
});

describe('RF loss on a paired channel', () => {
  it('keeps the channel open and searching (the library unassigned it and leaked the channel); data resumes after the gap', async () => {
    const sim = new SimAntStick({ key: 'rf' });
    sim.addDevice(steadyDevice('hr', 12345, { heartRate: 70 }, [[1000, 4500]]));
    const { driver, session, sink } = await startedSession(sim);
    const losses: number[] = [];
    driver.onRfLoss = (_ch, code) => losses.push(code);
    expect(await session.startPaired([{ deviceType: 0x78, deviceNumber: 12345 }])).toEqual([]);
    await advance(sim, 8000);
    expect(losses).toContain(0x08);
    expect(sim.stats.hostLog.some((f) => f[2] === 0x41 || f[2] === 0x4c)).toBe(false);
    expect(session.channelsUsed).toBe(1);
    expect(sink.of('ant:120:12345', 'heartRate').filter((s) => s.tMs > 4600).length).toBeGreaterThan(8);
    await session.close();
  });
});

describe('bicycle power CTF page 0x20 and crank-torque page 0x12 through the driver', () => {
  it('decodes 209.44 W / 60 rpm from two CTF pages and 125.66 W from two torque pages (the library got CTF wrong and ignored 0x12)', async () => {
    const sim = new SimAntStick({ key: 'ctf' });
    const { driver } = await startedSession(sim);
    const sink = collector();
    const adapter = new AntSampleAdapter({ sink, onDeviceSeen: () => undefined });
    adapter.channelDevice[0] = (0x0b << 16) | 4321;
    driver.frameTap = (f, t) => adapter.onFrame(f, t);
    for (const hex of ['A4 09 4E 00 20 05 01 2C 07 D0 03 E8 D7', 'A4 09 4E 00 20 06 01 2C 0F A0 07 D0 90']) await driver.read(fromHex(hex));
    expect(sink.of('ant:11:4321', 'power').at(-1)!.value).toBeCloseTo(209.44, 2);
    expect(sink.of('ant:11:4321', 'cadence').at(-1)!.value).toBeCloseTo(60, 6);
    for (const page of ['12 0A 0A 3C 00 08 00 00', '12 0B 0B 3C 00 10 80 02']) await driver.read(repairChecksum(fromHex(`A4 09 4E 00 ${page} 00`)));
    expect(sink.of('ant:11:4321', 'power').at(-1)!.value).toBeCloseTo(125.66, 2);
    await driver.close();
  });
});

describe('a stick without extended messages', () => {
  it('pairs wildcard channels without lib config and learns each found device from a Channel ID request', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'noext', canScan: false, hasExtendedMessages: false });
    sim.addDevice(steadyDevice('hr', 4242, { heartRate: 66 }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    await runFor(clock, 3000, (t) => bus.advanceTo(t));
    await service.stop();
    expect(service.status().sticks[0]!.error?.code).toBe('ANT_SCAN_UNSUPPORTED');
    expect(sim.stats.hostLog.some((f) => f[2] === 0x6e)).toBe(false);
    expect(sim.stats.hostLog.filter((f) => f[2] === 0x4d && f[4] === 0x51).length).toBeGreaterThan(0);
    expect(sink.of('ant:120:4242', 'heartRate').at(-1)?.value).toBe(66);
  });
});
