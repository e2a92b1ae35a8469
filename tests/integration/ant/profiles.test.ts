import { describe, expect, it } from 'vitest';
import { AntService } from '../../../src/main/ant/antService';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import { SAMPLE_FLAGS } from '../../../src/shared/sample';
import { collector, runFor, steadyDevice, testClock } from './harness';

async function runScenario(devices: Parameters<SimAntStick['addDevice']>[0][], ms: number, mode: 'scan' | 'paired' = 'scan') {
  const clock = testClock();
  const bus = new SimAntBus();
  const sim = new SimAntStick({ key: 'p' });
  for (const d of devices) sim.addDevice(d);
  bus.plug(sim);
  const sink = collector();
  const registered: string[] = [];
  const service = new AntService({
    bus,
    sink,
    now: clock.now,
    mode,
    paired: mode === 'paired' ? devices.map((d) => ({ deviceType: sim.sourceOf(d.deviceNumber)!.profile.deviceType, deviceNumber: d.deviceNumber })) : undefined,
    registry: { upsert: (d) => registered.push(`${d.id} ${d.kind} ${d.name}`), setStatus: () => undefined },
  });
  await service.start();
  await runFor(clock, ms, (t) => bus.advanceTo(t), 100);
  const details = service.deviceDetails(0x0b, devices.find((d) => d.kind === 'power')?.deviceNumber ?? 0);
  await service.stop();
  const last = (id: string, metric: string): number | undefined => sink.of(id, metric).at(-1)?.value;
  return { sink, registered, last, sim, details };
}

describe('each ANT+ profile: simulated bytes → samples with the right values and units', () => {
  it('scan mode, every profile on one stick', async () => {
    const { sink, last, registered, details } = await runScenario(
      [
        steadyDevice('hr', 101, { heartRate: 72, batteryPct: 88 }),
        steadyDevice('power', 102, { power: 200, cadence: 90 }),
        steadyDevice('power', 103, { power: 250, cadence: 80 }, [], { powerMode: 'crankTorque' }),
        steadyDevice('power', 104, { power: 180, cadence: 85 }, [], { powerMode: 'ctf' }),
        steadyDevice('csc', 105, { speedMps: 8, cadence: 85 }),
        steadyDevice('speed', 106, { speedMps: 6 }),
        steadyDevice('cadence', 107, { cadence: 70 }),
        steadyDevice('rsc', 108, { speedMps: 3.5, stepCadence: 170 }),
        steadyDevice('bike', 109, { power: 150, cadence: 80, speedMps: 8.5, heartRate: 130 }),
      ],
      50_000,
    );
    expect(registered).toContain('ant:120:101 hr ANT+ heart rate 101');
    expect(registered).toHaveLength(9);
    expect(last('ant:120:101', 'heartRate')).toBe(72);
    expect(last('ant:120:101', 'battery')).toBe(88);
    expect(last('ant:120:101', 'rssi')).toBe(-62);
    expect(last('ant:11:102', 'power')).toBe(200);
    expect(last('ant:11:102', 'cadence')).toBe(90);
    expect(last('ant:11:103', 'power')).toBeCloseTo(250, 0);
    expect(last('ant:11:103', 'cadence')).toBeCloseTo(80, 1);
    expect(last('ant:11:104', 'power')! / 180).toBeCloseTo(1, 1);
    expect(last('ant:11:104', 'cadence')! / 85).toBeCloseTo(1, 1);
    expect(last('ant:11:102', 'battery')).toBe(80);
    expect(last('ant:121:105', 'speed')).toBeCloseTo(8, 1);
    expect(last('ant:121:105', 'cadence')).toBeCloseTo(85, 0);
    expect(last('ant:121:105', 'distance')! / (8 * 49)).toBeCloseTo(1, 1);
    expect(last('ant:123:106', 'speed')).toBeCloseTo(6, 1);
    expect(last('ant:122:107', 'cadence')).toBeCloseTo(70, 0);
    expect(last('ant:124:108', 'speed')).toBeCloseTo(3.5, 2);
    expect(last('ant:124:108', 'stepCadence')).toBeCloseTo(170, 0);
    expect(last('ant:124:108', 'distance')! / (3.5 * 49)).toBeCloseTo(1, 1);
    expect(last('ant:17:109', 'power')).toBe(150);
    expect(last('ant:17:109', 'cadence')).toBe(80);
    expect(last('ant:17:109', 'speed')).toBeCloseTo(8.5, 3);
    expect(last('ant:17:109', 'heartRate')).toBe(130);
    expect(last('ant:17:109', 'distance')! / (8.5 * 49)).toBeCloseTo(1, 1);
    // the library's first speed/cadence values are computed against zeros (gotcha 8) and must not leak out
    expect(Math.max(...sink.of('ant:121:105', 'speed').map((s) => s.value))).toBeLessThan(9);
    expect(Math.max(...sink.of('ant:122:107', 'cadence').map((s) => s.value))).toBeLessThan(75);
    expect(details).toEqual({ manufacturerId: 7, modelNumber: 1, serialNumber: 102, swVersion: 1.2 });
    const hrTiming = sink.of('ant:120:101', 'heartRate').at(-1)!.timing!;
    expect(hrTiming.ticksPerSecond).toBe(1024);
    expect(hrTiming.eventCount).toBeTypeOf('number');
    const derived = sink.of('ant:11:104', 'power')[0]!;
    expect(derived.timing?.flags).toBe(SAMPLE_FLAGS.derived);
  });

  it('paired mode gives the same values for HR, power and FE', async () => {
    const { last } = await runScenario(
      [steadyDevice('hr', 201, { heartRate: 65 }), steadyDevice('power', 202, { power: 310, cadence: 95 }), steadyDevice('bike', 203, { power: 120, cadence: 70, speedMps: 7 })],
      5_000,
      'paired',
    );
    expect(last('ant:120:201', 'heartRate')).toBe(65);
    expect(last('ant:11:202', 'power')).toBe(310);
    expect(last('ant:17:203', 'power')).toBe(120);
    expect(last('ant:17:203', 'speed')).toBeCloseTo(7, 3);
  });
});
