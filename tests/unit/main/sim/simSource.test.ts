/** The sample-level simulator: scenario curves, live values, dropouts, RR consistent with HR. */
import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../../../src/main/devices';
import { SimSource } from '../../../../src/main/sim/simSource';
import type { Sample } from '../../../../src/shared/sample';
import { parseScenario } from '../../../../src/shared/scenario';

function setup(): { sim: SimSource; samples: Sample[]; clock: { t: number }; registry: DeviceRegistry } {
  const clock = { t: 1_000_000 };
  const samples: Sample[] = [];
  const registry = new DeviceRegistry(() => clock.t);
  const sim = new SimSource({ sink: { push: (s) => samples.push(s) }, registry, now: () => clock.t });
  return { sim, samples, clock, registry };
}

function run(sim: SimSource, clock: { t: number }, seconds: number, stepMs = 50): void {
  const end = clock.t + seconds * 1000;
  while (clock.t < end) {
    clock.t += stepMs;
    sim.tick(clock.t);
  }
}

describe('SimSource', () => {
  it('produces a steady device at its rate with its values', () => {
    const { sim, samples, clock } = setup();
    const id = sim.addSimple('power', 'P', { power: 250, cadence: 90 });
    run(sim, clock, 10);
    const power = samples.filter((s) => s.deviceId === id && s.metric === 'power');
    expect(power.length).toBeGreaterThanOrEqual(39);
    expect(power.length).toBeLessThanOrEqual(41);
    expect(new Set(power.map((s) => s.value))).toEqual(new Set([250]));
  });

  it('makes RR intervals that follow the heart rate and add up to the elapsed time', () => {
    const { sim, samples, clock } = setup();
    const id = sim.addSimple('hr', 'S', { heartRate: 120 });
    run(sim, clock, 30);
    const rr = samples.filter((s) => s.deviceId === id && s.metric === 'rrInterval');
    // 120 bpm → 512 ticks of 1/1024 s = 500 ms per beat; 30 s → 60 beats
    expect(rr.length).toBeGreaterThanOrEqual(59);
    expect(rr.length).toBeLessThanOrEqual(60);
    expect(new Set(rr.map((s) => s.value))).toEqual(new Set([500]));
    // beat counts are consecutive: no beat lost or duplicated
    const counts = rr.map((s) => s.timing!.eventCount!);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBe((counts[i - 1]! + 1) % 256);
  });

  it('goes silent during a dropout and resumes after reconnect, with no filler values', () => {
    const { sim, samples, clock } = setup();
    const id = sim.addSimple('hr', 'S', { heartRate: 60 });
    run(sim, clock, 2);
    const before = samples.length;
    sim.dropout(id);
    const droppedAt = clock.t;
    run(sim, clock, 5);
    expect(samples.filter((s) => s.tMs > droppedAt)).toHaveLength(0);
    expect(samples.length).toBe(before);
    sim.reconnect(id);
    run(sim, clock, 2);
    expect(samples.filter((s) => s.tMs > droppedAt && s.metric === 'heartRate').length).toBeGreaterThan(5);
  });

  it('follows scenario events: a dropout at t for a duration', () => {
    const scenario = parseScenario({
      name: 't',
      devices: [{ id: 'a', name: 'A', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 80 } }, events: [{ type: 'dropout', atS: 3, forS: 4 }] }],
    });
    if (!scenario.ok) throw new Error(scenario.message);
    const { sim, samples, clock } = setup();
    const t0 = clock.t;
    sim.load(scenario.value);
    run(sim, clock, 10);
    const hrTimes = samples.filter((s) => s.metric === 'heartRate').map((s) => (s.tMs - t0) / 1000);
    expect(hrTimes.some((t) => t > 3.1 && t < 6.9)).toBe(false);
    expect(hrTimes.some((t) => t < 3)).toBe(true);
    expect(hrTimes.some((t) => t > 7)).toBe(true);
  });

  it('registers devices in the registry and removes them', () => {
    const { sim, registry } = setup();
    const id = sim.addSimple('rsc');
    expect(registry.get(id)).toMatchObject({ kind: 'rsc', source: 'sim', isSimulated: true, status: 'connecting' });
    sim.remove(id);
    expect(registry.get(id)).toBeUndefined();
  });
});
