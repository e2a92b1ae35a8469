/**
 * Regression (issue 15, small): the demo foot pod's distance tile was always `--`: the sample-level
 * simulator had no distance curve for it. Sensors that count distance (foot pods, speed sensors,
 * treadmills) now report the distance their speed adds up to, including across a dropout.
 */
import { describe, expect, it } from 'vitest';
import { DeviceRegistry } from '../../../../src/main/devices';
import { SimSource } from '../../../../src/main/sim/simSource';
import type { Sample } from '../../../../src/shared/sample';

describe('simulated distance', () => {
  it('a foot pod at 3 m/s has run 30 m after 10 s, and keeps counting through a dropout', () => {
    const clock = { t: 1_000_000 };
    const samples: Sample[] = [];
    const sim = new SimSource({ sink: { push: (s) => samples.push(s) }, registry: new DeviceRegistry(() => clock.t), now: () => clock.t });
    const id = sim.addSimple('rsc', 'Pod', { speed: 3, stepCadence: 170 });
    const run = (seconds: number): void => {
      const end = clock.t + seconds * 1000;
      while (clock.t < end) sim.tick((clock.t += 50));
    };
    run(10);
    const distance = (): number[] => samples.filter((s) => s.deviceId === id && s.metric === 'distance').map((s) => s.value);
    expect(distance().at(-1)).toBeGreaterThanOrEqual(29);
    expect(distance().at(-1)).toBeLessThanOrEqual(30);
    for (let i = 1; i < distance().length; i++) expect(distance()[i]).toBeGreaterThanOrEqual(distance()[i - 1]!);
    sim.dropout(id, 5000);
    run(10);
    expect(distance().at(-1)).toBeGreaterThanOrEqual(59);
    const hr = sim.addSimple('hr', 'Strap', { heartRate: 60 });
    run(2);
    expect(samples.some((s) => s.deviceId === hr && s.metric === 'distance')).toBe(false);
  });
});
