import { describe, expect, it } from 'vitest';
import { AntService } from '../../../src/main/ant/antService';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import type { HrPageSource } from '../../../src/main/ant/sim/simDevices';
import { DeviceRegistry } from '../../../src/main/devices';
import { collector, runFor, steadyDevice, testClock } from './harness';
import { waitFor } from '../../support/wait';

describe('40 heart-rate straps at 4 Hz on one simulated stick in scan mode', () => {
  it('every strap appears and no message is lost at the driver (frames in = frames decoded)', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'gym' });
    for (let i = 1; i <= 40; i++) sim.addDevice(steadyDevice('hr', 1000 + i, { heartRate: 60 + i }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    const dataBefore = sim.stats.dataFramesToHost;
    await runFor(clock, 20_000, (t) => {
      bus.advanceTo(t);
      service.tick();
    }, 50);
    const status = service.status().sticks[0]!;
    const framesSent = sim.stats.framesToHost;
    await service.stop();
    for (let i = 1; i <= 40; i++) expect(sink.of(`ant:120:${1000 + i}`, 'heartRate').at(-1)?.value, `strap ${i}`).toBe(60 + i);
    expect(status.deviceCount).toBe(40);
    // every data frame the stick sent after start-up reached the decoders as one heart-rate sample
    const sent = sim.stats.dataFramesToHost - dataBefore;
    const hrSamples = sink.samples.filter((s) => s.metric === 'heartRate').length;
    expect(sent).toBeGreaterThan(40 * 4 * 19);
    expect(hrSamples).toBe(sim.stats.dataFramesToHost);
    expect(status.badFrames).toBe(0);
    expect(status.framesIn).toBe(framesSent);
    expect(sim.stats.transfersToHost).toBeLessThan(sim.stats.framesToHost);
    expect(status.messageRateHz).toBeGreaterThan(0);
  });
});

describe('hot-plug and RF loss mid-session', () => {
  it('unplug → devices stale and the stick says so; replug → the stick restarts and data returns without restarting the service', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'usb1' });
    sim.addDevice(steadyDevice('hr', 7, { heartRate: 80 }));
    bus.plug(sim);
    const sink = collector();
    const registry = new DeviceRegistry(clock.now);
    const links: string[] = [];
    registry.onLinkEvent((e) => links.push(`${e.deviceId} ${e.status}`));
    const service = new AntService({ bus, sink, registry, now: clock.now });
    await service.start();
    await runFor(clock, 3000, (t) => bus.advanceTo(t));
    registry.noteSamples(sink.samples);
    expect(registry.get('ant:120:7')?.status).toBe('live');

    bus.unplug('usb1');
    await runFor(clock, 2000, (t) => bus.advanceTo(t));
    const st = service.status().sticks[0]!;
    expect(st.state).toBe('removed');
    expect(st.error?.code).toBe('ANT_STICK_REMOVED');
    expect(registry.get('ant:120:7')?.status).toBe('stale');
    const countAtUnplug = sink.samples.length;

    bus.plug(sim);
    await runFor(clock, 3000, (t) => bus.advanceTo(t));
    expect(service.status().sticks[0]!.state).toBe('running');
    expect(sink.samples.length).toBeGreaterThan(countAtUnplug);
    registry.noteSamples(sink.samples.slice(countAtUnplug));
    expect(registry.get('ant:120:7')?.status).toBe('live');
    expect(links).toContain('ant:120:7 stale');
    await service.stop();
  });

  it('after a replug the first beat of every strap keeps its RR (40 beats were dropped per replug), and no RR bridges the gap', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'replug' });
    const straps = Array.from({ length: 40 }, (_, i) => 3000 + i);
    for (const [i, n] of straps.entries()) sim.addDevice(steadyDevice('hr', n, { heartRate: 70 + i }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    await runFor(clock, 5000, (t) => bus.advanceTo(t));
    bus.unplug('replug');
    await runFor(clock, 2000, (t) => bus.advanceTo(t));
    const replugAt = sink.samples.length;
    bus.plug(sim);
    await runFor(clock, 5000, (t) => bus.advanceTo(t));
    await service.stop();
    const after = sink.samples.slice(replugAt);
    for (const n of straps) {
      const id = `ant:120:${n}`;
      const beatsSeen = new Set(after.filter((s) => s.deviceId === id && s.metric === 'heartRate').map((s) => s.timing!.eventCount));
      const rr = after.filter((s) => s.deviceId === id && s.metric === 'rrInterval');
      expect(beatsSeen.size, id).toBeGreaterThan(3);
      // every beat heard after the replug has its interval, the first one flagged as following missed beats
      expect(new Set(rr.map((s) => s.timing!.eventCount)), id).toEqual(beatsSeen);
      expect(rr[0]!.timing!.flags, id).toBe(1);
      // and every interval is the strap's true one for that beat (never one computed across the gap)
      const truth = (sim.sourceOf(n) as HrPageSource).beats;
      for (const s of rr) {
        const beat = truth.findLast((b) => (b.tTicks & 0xffff) === s.timing!.eventTicks)!;
        expect(s.value, id).toBeCloseTo((beat.rrTicks * 1000) / 1024, 9);
      }
    }
  });

  it('two sticks at once: pulling one leaves the other running', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const a = new SimAntStick({ key: 'a', model: 'usb2' });
    const b = new SimAntStick({ key: 'b' });
    a.addDevice(steadyDevice('hr', 1, { heartRate: 61 }));
    b.addDevice(steadyDevice('hr', 2, { heartRate: 62 }));
    bus.plug(a);
    bus.plug(b);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    await runFor(clock, 1000, (t) => bus.advanceTo(t));
    bus.unplug('a');
    const before = sink.of('ant:120:2', 'heartRate').length;
    await runFor(clock, 2000, (t) => bus.advanceTo(t));
    expect(service.status().sticks.map((s) => s.state)).toEqual(['removed', 'running']);
    expect(sink.of('ant:120:2', 'heartRate').length).toBeGreaterThan(before + 4);
    await service.stop();
  });

  it('paired channel: strap leaves range (RX_FAIL, then GO_TO_SEARCH) and returns; the session continues on the same channel', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'rf' });
    sim.addDevice(steadyDevice('hr', 12345, { heartRate: 75 }, [[4000, 9000]]));
    bus.plug(sim);
    const sink = collector();
    const statuses: string[] = [];
    const service = new AntService({
      bus,
      sink,
      now: clock.now,
      mode: 'paired',
      paired: [{ deviceType: 0x78, deviceNumber: 12345 }],
      registry: { upsert: () => undefined, setStatus: (id, s, reason) => statuses.push(`${id} ${s} ${reason}`) },
    });
    await service.start();
    await runFor(clock, 15_000, (t) => {
      bus.advanceTo(t);
      service.tick();
    });
    const st = service.status().sticks[0]!;
    const unassigns = sim.stats.hostLog.filter((f) => f[2] === 0x41);
    await service.stop();
    const hr = sink.of('ant:120:12345', 'heartRate');
    expect(hr.some((s) => s.tMs > 3000 && s.tMs < 4000)).toBe(true);
    expect(hr.some((s) => s.tMs >= 4100 && s.tMs < 9000)).toBe(false);
    expect(hr.filter((s) => s.tMs > 9500).length).toBeGreaterThan(15);
    expect(statuses.some((s) => s.includes('reconnecting') && s.includes('searching'))).toBe(true);
    expect(st.channelsUsed).toBe(1);
    expect(unassigns).toHaveLength(0);
  });
});

describe('a paired sensor that detaches by itself (B8 fallback)', () => {
  it('an unrequested channel close makes the library detach the sensor; the session fixes the channel count and re-attaches it', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'expire' });
    sim.addDevice(steadyDevice('hr', 321, { heartRate: 99 }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now, mode: 'paired', paired: [{ deviceType: 0x78, deviceNumber: 321 }] });
    await service.start();
    await runFor(clock, 1000, (t) => bus.advanceTo(t));
    sim.expireSearch(0);
    // the session answers the unrequested close by opening the channel again (0x4B: Open Channel)
    await waitFor(() => sim.stats.hostLog.filter((f) => f[2] === 0x4b).length === 2, 'the channel to be opened again');
    const countAfterExpiry = sink.of('ant:120:321', 'heartRate').length;
    await runFor(clock, 2000, (t) => bus.advanceTo(t));
    const st = service.status().sticks[0]!;
    expect(st.channelsUsed).toBe(1);
    expect(sink.of('ant:120:321', 'heartRate').length).toBeGreaterThan(countAfterExpiry + 5);
    expect(sim.stats.hostLog.filter((f) => f[2] === 0x4b)).toHaveLength(2);
    await service.stop();
  });
});

describe('a stick that resets itself mid-session', () => {
  it('the handshake is redone, the scan channel is set up again and data continues', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'glitch' });
    sim.addDevice(steadyDevice('hr', 55, { heartRate: 101 }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now });
    await service.start();
    await runFor(clock, 1000, (t) => bus.advanceTo(t));
    sim.powerCycle();
    await runFor(clock, 500, (t) => bus.advanceTo(t));
    const before = sink.of('ant:120:55', 'heartRate').length;
    await runFor(clock, 2000, (t) => bus.advanceTo(t));
    expect(sink.of('ant:120:55', 'heartRate').length).toBeGreaterThan(before + 5);
    expect(sim.stats.hostLog.filter((f) => f[2] === 0x5b)).toHaveLength(2);
    expect(service.status().sticks[0]).toMatchObject({ state: 'running', channelsUsed: 1 });
    await service.stop();
  });
});

describe('a stick that vanishes without a hot-plug event', () => {
  it('is marked removed on the no-device transfer error and picked up again by the periodic rescan', async () => {
    const clock = testClock(0);
    const bus = new SimAntBus();
    const sim = new SimAntStick({ key: 'nohotplug' });
    sim.addDevice(steadyDevice('hr', 66, { heartRate: 66 }));
    bus.plug(sim);
    const sink = collector();
    const service = new AntService({ bus, sink, now: clock.now, rescanEveryMs: 1000 });
    await service.start();
    await runFor(clock, 1000, (t) => bus.advanceTo(t));
    sim.failTransport();
    expect(service.status().sticks[0]).toMatchObject({ state: 'removed', error: { code: 'ANT_STICK_REMOVED' } });
    sim.plug();
    const before = sink.of('ant:120:66', 'heartRate').length;
    await runFor(clock, 3000, (t) => {
      bus.advanceTo(t);
      service.tick();
    });
    expect(service.status().sticks[0]!.state).toBe('running');
    expect(sink.of('ant:120:66', 'heartRate').length).toBeGreaterThan(before + 4);
    await service.stop();
  });
});
