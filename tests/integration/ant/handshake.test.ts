import { describe, expect, it } from 'vitest';
import { AntStickDriver } from '../../../src/main/ant/driver';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { AntService, type AntServiceStatus } from '../../../src/main/ant/antService';
import { toHex } from '../../../src/shared/ant/frame';
import { collector, runFor, settle, steadyDevice, testClock } from './harness';
import { waitFor } from '../../support/wait';

const ids = (stick: SimAntStick): string[] => stick.stats.hostLog.map((f) => f[2]!.toString(16).padStart(2, '0'));

describe('start-up handshake against the simulated stick (§2)', () => {
  for (const model of ['usb2', 'usbM'] as const) {
    it(`reads channel count and scan support from the ${model} capabilities reply`, async () => {
      const sim = new SimAntStick({ key: 'a', model, maxChannels: model === 'usb2' ? 8 : 8 });
      const driver = new AntStickDriver(sim, { startupTimeoutMs: 500 });
      const r = await driver.start();
      expect(r.ok && r.value).toMatchObject({ maxChannels: 8, canScan: true, payloadLength: model === 'usb2' ? 6 : 8 });
      expect(ids(sim)).toEqual(['4a', '4d', '46']);
      expect(driver.canScan).toBe(true);
      expect(driver.maxChannels).toBe(8);
    });
  }

  it('handles a duplicate startup and a startup packed with an unsolicited capabilities reply once', async () => {
    for (const quirk of ['double', 'packedWithCapabilities'] as const) {
      const sim = new SimAntStick({ key: quirk, startupQuirk: quirk });
      const driver = new AntStickDriver(sim, { startupTimeoutMs: 500 });
      let startups = 0;
      driver.on('startup', () => startups++);
      expect((await driver.start()).ok).toBe(true);
      await settle(5);
      expect(startups).toBe(1);
      expect(ids(sim).filter((i) => i === '46')).toHaveLength(1);
    }
  });

  it('retries with one more reset when the first is ignored, and reports ANT_STARTUP_TIMEOUT when the stick stays silent', async () => {
    const lazy = new SimAntStick({ key: 'lazy', startupQuirk: 'ignoreFirstReset' });
    const ok = await new AntStickDriver(lazy, { startupTimeoutMs: 100 }).start();
    expect(ok.ok).toBe(true);
    expect(ids(lazy).filter((i) => i === '4a')).toHaveLength(2);
    const silent = new SimAntStick({ key: 'silent', startupQuirk: 'silent' });
    const bad = await new AntStickDriver(silent, { startupTimeoutMs: 100 }).start();
    expect(bad.ok ? null : bad.code).toBe('ANT_STARTUP_TIMEOUT');
    expect(bad.ok ? '' : bad.message).toMatch(/Unplug it/);
  });

  it('is idempotent: a second start() does not reset the stick again', async () => {
    const sim = new SimAntStick({ key: 'i' });
    const driver = new AntStickDriver(sim);
    await driver.start();
    await driver.start();
    expect(ids(sim).filter((i) => i === '4a')).toHaveLength(1);
  });
});

describe('channel set-up through the service', () => {
  it('scan mode: assign, wildcard id, RF 57, extended messages, lib config 0xE0, open RX scan — every frame checksummed', async () => {
    const clock = testClock();
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 's' });
    sim.addDevice(steadyDevice('hr', 12345, { heartRate: 72 }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    await runFor(clock, 1000, (t) => bus.advanceTo(t));
    const setup = sim.stats.hostLog.slice(3, 9).map((f) => toHex(f));
    expect(setup).toEqual(['A4 03 42 00 00 00 E5', 'A4 05 51 00 00 00 00 00 F0', 'A4 02 45 00 39 DA', 'A4 02 66 00 01 C1', 'A4 02 6E 00 E0 28', 'A4 02 5B 00 01 FC']);
    expect(sim.stats.badChecksumsFromHost).toBe(0);
    const st: AntServiceStatus = service.status();
    expect(st.sticks[0]).toMatchObject({ state: 'running', mode: 'scan', channelsUsed: 1, maxChannels: 8, canScan: true, deviceCount: 1 });
    expect(sink.of('ant:120:12345', 'heartRate').length).toBeGreaterThan(0);
    await service.stop();
  });

  it('paired mode: one channel per device with its period, fixed device numbers, up to the channel count', async () => {
    const clock = testClock();
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'p', maxChannels: 2 });
    sim.addDevice(steadyDevice('hr', 12345, { heartRate: 72 }));
    sim.addDevice(steadyDevice('power', 777, { power: 200, cadence: 90 }));
    bus.plug(sim);
    const sink = collector();
    const statuses: AntServiceStatus[] = [];
    const service = new AntService({
      bus,
      sink,
      now: clock.now,
      mode: 'paired',
      paired: [{ deviceType: 0x78, deviceNumber: 12345 }, { deviceType: 0x0b, deviceNumber: 777 }, { deviceType: 0x79, deviceNumber: 5 }],
      onStatus: (s) => statuses.push(s),
    });
    await service.start();
    await runFor(clock, 1500, (t) => bus.advanceTo(t));
    const hex = sim.stats.hostLog.map((f) => toHex(f));
    expect(hex).toContain('A4 05 51 00 39 30 78 00 81');
    expect(hex).toContain('A4 03 43 00 86 1F 7D');
    expect(hex).toContain('A4 03 43 01 F6 1F 0C');
    const st = service.status().sticks[0]!;
    expect(st).toMatchObject({ mode: 'paired', channelsUsed: 2, maxChannels: 2 });
    expect(st.error?.code).toBe('ANT_CHANNELS_FULL');
    expect(sink.of('ant:120:12345', 'heartRate').at(-1)?.value).toBe(72);
    expect(sink.of('ant:11:777', 'power').at(-1)?.value).toBe(200);
    await service.stop();
  });

  it('reports ANT_NO_STICK with what to do, and picks a stick up when it is plugged in later', async () => {
    const clock = testClock();
    const bus = new SimAntBus();
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    expect(service.status().error?.code).toBe('ANT_NO_STICK');
    expect(service.status().error?.message).toMatch(/0fcf:1008.*0fcf:1009/);
    const sim = new SimAntStick({ key: 'late' });
    sim.addDevice(steadyDevice('hr', 9, { heartRate: 100 }));
    bus.plug(sim);
    await runFor(clock, 1000, (t) => bus.advanceTo(t));
    expect(service.status().error).toBeNull();
    expect(sink.of('ant:120:9', 'heartRate').length).toBeGreaterThan(0);
    await service.stop();
  });
});

describe('sticks that cannot be opened', () => {
  it('permission denied is reported with the udev fix, and the stick is picked up once access is granted (retry)', async () => {
    const { usbError, LIBUSB } = await import('../../../src/main/ant/usbErrors');
    const clock = testClock();
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'perm', openError: usbError(LIBUSB.access, 'LIBUSB_ERROR_ACCESS', 'linux', 'ANT USB-m') });
    sim.addDevice(steadyDevice('hr', 4, { heartRate: 66 }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now, openRetryMs: 30 });
    await service.start();
    const st = service.status().sticks[0]!;
    expect(st.state).toBe('error');
    expect(st.error?.code).toBe('ANT_PERMISSION_DENIED');
    expect(st.error?.message).toMatch(/51-garmin-ant\.rules/);
    sim.setOpenError(null);
    await waitFor(() => sim.stats.openAttempts >= 2, 'the retried open');
    await runFor(clock, 1000, (t) => bus.advanceTo(t));
    expect(service.status().sticks[0]!.state).toBe('running');
    expect(sink.of('ant:120:4', 'heartRate').length).toBeGreaterThan(0);
    await service.stop();
  });

  it('a stick held by another program stays in error with the busy message after the retries', async () => {
    const { usbError, LIBUSB } = await import('../../../src/main/ant/usbErrors');
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'busy', openError: usbError(LIBUSB.busy, 'LIBUSB_ERROR_BUSY', 'darwin', 'ANT USB-m') });
    bus.plug(sim);
    const service = new AntService({ bus, sink: collector(), openRetryMs: 10 });
    await service.start();
    await waitFor(() => sim.stats.openAttempts === 3 && service.status().sticks[0]?.state === 'error', 'the first open and its two retries to fail');
    const st = service.status().sticks[0]!;
    expect(st.state).toBe('error');
    expect(st.error?.code).toBe('ANT_STICK_BUSY');
    expect(st.error?.message).toMatch(/Garmin Express/);
    await service.stop();
  });
});
