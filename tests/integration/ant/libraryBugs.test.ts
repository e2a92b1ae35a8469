/**
 * Regression tests for the ant-plus-next 0.4.0 bugs of reference/ant-plus.md §9. Each one runs the scenario
 * once without our workaround (the library's own code path, or the driver switch that disables the workaround)
 * and asserts the wrong result, then with it and asserts the right one.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { BicyclePowerSensor, GarminStick2, HeartRateScanner, HeartRateSensor, type BaseSensor } from 'ant-plus-next';
import { AntSampleAdapter } from '../../../src/main/ant/adapter';
import { AntStickDriver, type AntDriverOptions } from '../../../src/main/ant/driver';
import { AntService } from '../../../src/main/ant/antService';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import { fromHex } from '../../../src/shared/ant/frame';
import type { AntTransport } from '../../../src/main/ant/transport';
import { collector, runFor, settle, steadyDevice, testClock } from './harness';

async function startedDriver(sim: SimAntStick, options: AntDriverOptions = {}): Promise<AntStickDriver> {
  const driver = new AntStickDriver(sim, { now: () => sim.nowMs, ...options });
  const r = await driver.start();
  expect(r.ok).toBe(true);
  return driver;
}

function waitEvent(emitter: BaseSensor, name: string, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(false), ms);
    emitter.once(name, () => {
      clearTimeout(t);
      resolve(true);
    });
  });
}

/** Device number and HR as the library's sensors read a frame: DataView over `frame.buffer` from offset 0. */
function asLibraryReads(frame: Uint8Array): [number, number] {
  const v = new DataView(frame.buffer);
  return [v.getUint16(13, true), v.getUint8(11)];
}

afterEach(() => vi.restoreAllMocks());

describe('B1: several ANT messages in one USB transfer', () => {
  const transfer = (): Buffer => {
    const bytes = fromHex('A4 0E 4E 00 04 FF 00 00 00 04 01 3C 80 01 00 78 01 DE A4 0E 4E 00 04 FF 00 00 00 04 01 96 80 02 00 78 01 77');
    const usbBuffer = Buffer.alloc(64);
    usbBuffer.set(bytes);
    return usbBuffer.subarray(0, bytes.length);
  };

  it('the library driver decodes the second message as a copy of the first; ours decodes (1, 60) then (2, 150)', async () => {
    const lib = new GarminStick2();
    const libFrames: [number, number][] = [];
    lib.on('read', (f: Uint8Array) => libFrames.push(asLibraryReads(f)));
    await (lib as unknown as { onData(d: Uint8Array): Promise<void> }).onData(transfer());
    expect(libFrames).toEqual([[1, 60], [1, 60]]);

    let deliver: (t: Uint8Array) => void = () => undefined;
    const transport: AntTransport = {
      descriptor: { key: 'b1', vendorId: 0x0fcf, productId: 0x1008, label: 'test stick', isSimulated: true },
      open: () => ({ ok: true, value: undefined }),
      startReading: (onData) => (deliver = onData),
      write: async () => undefined,
      close: async () => undefined,
    };
    const ours = new AntStickDriver(transport);
    await ours.open();
    const ourFrames: [number, number][] = [];
    ours.on('read', (f: Uint8Array) => ourFrames.push(asLibraryReads(f)));
    deliver(transfer());
    await settle();
    expect(ourFrames).toEqual([[1, 60], [2, 150]]);
  });
});

describe('B2: close() detaching every sensor', () => {
  it("the library's detachAll skips every second sensor; our close() closes all three and frees every channel", async () => {
    const attachThree = async (sim: SimAntStick): Promise<{ driver: AntStickDriver; sensors: HeartRateSensor[] }> => {
      for (const n of [11, 12, 13]) sim.addDevice(steadyDevice('hr', n, { heartRate: 70 }));
      const driver = await startedDriver(sim);
      const sensors: HeartRateSensor[] = [];
      for (const [ch, n] of [[0, 11], [1, 12], [2, 13]] as const) {
        const s = new HeartRateSensor(driver);
        const attached = waitEvent(s, 'attached', 1000);
        await s.attach(ch, n);
        expect(await attached).toBe(true);
        sensors.push(s);
      }
      return { driver, sensors };
    };
    const closes = (sim: SimAntStick): number => sim.stats.hostLog.filter((f) => f[2] === 0x4c).length;

    const simLib = new SimAntStick({ key: 'b2-lib' });
    const lib = await attachThree(simLib);
    const detachAll = (Object.getPrototypeOf(GarminStick2.prototype) as { detachAll(this: unknown): Promise<void> }).detachAll;
    await detachAll.call({ attachedSensors: (lib.driver as unknown as { attached: BaseSensor[] }).attached });
    await settle(5);
    expect(closes(simLib)).toBe(2);
    expect(lib.driver.usedChannels).toBe(1);

    const simOurs = new SimAntStick({ key: 'b2-ours' });
    const ours = await attachThree(simOurs);
    await ours.driver.close();
    expect(closes(simOurs)).toBe(3);
    expect(simOurs.stats.hostLog.filter((f) => f[2] === 0x41)).toHaveLength(3);
    expect(ours.driver.usedChannels).toBe(0);
    expect(ours.sensors.every((s) => s.channel === undefined)).toBe(true);
  });
});

describe('B3: wrong outgoing checksum (attach to device 15)', () => {
  it('without checksum repair the stick rejects the channel-ID frame and the sensor never attaches; with it, it attaches', async () => {
    const run = async (isChecksumRepairEnabled: boolean): Promise<{ attached: boolean; sim: SimAntStick; driver: AntStickDriver }> => {
      const sim = new SimAntStick({ key: `b3-${isChecksumRepairEnabled}` });
      sim.addDevice(steadyDevice('hr', 15, { heartRate: 90 }));
      const driver = await startedDriver(sim, { isChecksumRepairEnabled });
      const hr = new HeartRateSensor(driver);
      const attached = waitEvent(hr, 'attached', 300);
      await hr.attach(0, 15);
      return { attached: await attached, sim, driver };
    };
    const broken = await run(false);
    expect(broken.attached).toBe(false);
    expect(broken.sim.stats.badChecksumsFromHost).toBe(1);
    expect(broken.driver.stats.serialErrors).toBe(1);
    expect(broken.driver.lastError?.code).toBe('ANT_SERIAL_ERROR');
    const fixed = await run(true);
    expect(fixed.attached).toBe(true);
    expect(fixed.sim.stats.badChecksumsFromHost).toBe(0);
    expect(fixed.sim.stats.hostLog.some((f) => f[2] === 0x51 && f[8] === 0x87)).toBe(true);
  });
});

describe('B4: canScan is never awaited by the library', () => {
  it("the library's scanner 'attaches' on a stick without scan support; the service checks capabilities and falls back to paired channels", async () => {
    const sim = new SimAntStick({ key: 'b4', canScan: false });
    const driver = await startedDriver(sim, { detachTimeoutMs: 100 });
    expect(await driver.canScan()).toBe(false);
    const scanner = new HeartRateScanner(driver);
    const attached = waitEvent(scanner, 'attached', 500);
    await scanner.scan();
    expect(await attached).toBe(true); // wrong: the stick answered 0x5B with INVALID_MESSAGE
    await driver.close();

    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim2 = new SimAntStick({ key: 'b4b', canScan: false });
    sim2.addDevice(steadyDevice('hr', 5, { heartRate: 77 }));
    bus.plug(sim2);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    await runFor(clock, 2000, (t) => bus.advanceTo(t));
    const st = service.status().sticks[0]!;
    expect(st.mode).toBe('paired');
    expect(st.error?.code).toBe('ANT_SCAN_UNSUPPORTED');
    expect(sim2.stats.hostLog.some((f) => f[2] === 0x5b)).toBe(false);
    expect(sink.of('ant:120:5', 'heartRate').at(-1)?.value).toBe(77);
    await service.stop();
  });
});

describe('B6: console noise from the library', () => {
  it('without the filter every scanned frame prints a bare number; with it nothing is printed and other lines pass', async () => {
    const count = async (isConsoleQuiet: boolean): Promise<number> => {
      const sim = new SimAntStick({ key: `b6-${isConsoleQuiet}` });
      sim.addDevice(steadyDevice('hr', 3, { heartRate: 70 }));
      const driver = await startedDriver(sim, { isConsoleQuiet });
      const scanner = new HeartRateScanner(driver);
      const attached = waitEvent(scanner, 'attached', 500);
      await scanner.scan();
      await attached;
      const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
      for (let t = 100; t <= 2000; t += 100) {
        sim.advanceTo(t);
        await settle();
      }
      const numbers = spy.mock.calls.filter((c) => c.length === 1 && typeof c[0] === 'number').length;
      spy.mockRestore();
      await driver.close();
      return numbers;
    };
    expect(await count(false)).toBeGreaterThan(4);
    expect(await count(true)).toBe(0);
    const spy = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const { runQuietly } = await import('../../../src/main/ant/quietConsole');
    runQuietly(() => console.log('a real message'));
    expect(spy).toHaveBeenCalledWith('a real message');
  });
});

describe('B7: bicycle-power CTF page 0x20 and torque pages', () => {
  it("the library's CTF power is nonsense and 0x12 gives no powerData; our decoding gives 209.44 W / 60 rpm and 125.66 W", async () => {
    const sim = new SimAntStick({ key: 'b7' });
    const driver = await startedDriver(sim);
    const sensor = new BicyclePowerSensor(driver);
    const attached = waitEvent(sensor, 'attached', 500);
    await sensor.attach(0, 4321);
    expect(await attached).toBe(true);
    const libPower: number[] = [];
    sensor.on('powerData', (s: { CalculatedPower?: number }) => libPower.push(s.CalculatedPower ?? NaN));
    const sink = collector();
    const adapter = new AntSampleAdapter({ sink, onDeviceSeen: () => undefined });
    adapter.channelDevice[0] = (0x0b << 16) | 4321;
    driver.frameTap = (f, t) => adapter.onFrame(f, t);
    for (const hex of ['A4 09 4E 00 20 05 01 2C 07 D0 03 E8 D7', 'A4 09 4E 00 20 06 01 2C 0F A0 07 D0 90']) await driver.read(fromHex(hex));
    expect(libPower).toHaveLength(2);
    expect(Math.abs(libPower[1]! - 209.44)).toBeGreaterThan(100);
    expect(sink.of('ant:11:4321', 'power').at(-1)!.value).toBeCloseTo(209.44, 2);
    expect(sink.of('ant:11:4321', 'cadence').at(-1)!.value).toBeCloseTo(60, 6);

    libPower.length = 0;
    for (const page of ['12 0A 0A 3C 00 08 00 00', '12 0B 0B 3C 00 10 80 02']) {
      const frame = fromHex(`A4 09 4E 00 ${page} 00`);
      let x = 0;
      for (let i = 0; i < frame.length - 1; i++) x ^= frame[i]!;
      frame[frame.length - 1] = x;
      await driver.read(frame);
    }
    expect(libPower).toHaveLength(0);
    expect(sink.of('ant:11:4321', 'power').at(-1)!.value).toBeCloseTo(125.66, 2);
    await driver.close();
  });
});

describe('B8: sensor self-detaching on RF loss', () => {
  it('without hiding RF-loss events the sensor detaches, leaks a channel and gets no data back; with it the channel stays and data resumes', async () => {
    const run = async (isRfLossHidden: boolean): Promise<{ detached: boolean; used: number; after: number }> => {
      const sim = new SimAntStick({ key: `b8-${isRfLossHidden}` });
      sim.addDevice(steadyDevice('hr', 12345, { heartRate: 70 }, [[1000, 4500]]));
      const driver = await startedDriver(sim, { isRfLossHidden });
      const hr = new HeartRateSensor(driver);
      const attached = waitEvent(hr, 'attached', 500);
      await hr.attach(0, 12345);
      await attached;
      let detached = false;
      hr.on('detached', () => (detached = true));
      let after = 0;
      hr.on('heartRateData', () => {
        if (sim.nowMs > 4600) after++;
      });
      for (let t = 50; t <= 8000; t += 50) {
        sim.advanceTo(t);
        await settle();
      }
      return { detached, used: driver.usedChannels, after };
    };
    const broken = await run(false);
    expect(broken.detached).toBe(true);
    expect(broken.used).toBe(1);
    expect(broken.after).toBe(0);
    const fixed = await run(true);
    expect(fixed.detached).toBe(false);
    expect(fixed.used).toBe(1);
    expect(fixed.after).toBeGreaterThan(8);
  });
});
