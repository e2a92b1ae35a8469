/** Built-in scenarios, selectable by name with `--simulate <name>`. */
import type { ScenarioInput } from '../scenario';
import { ANT_SCENARIOS } from '../ant/antScenarios';

/** The demo: a strap, a power meter and a foot pod, with a dropout on the strap. */
const demo: ScenarioInput = {
  name: 'demo',
  description: 'Three devices: heart-rate strap with a dropout at 40 s, power meter doing intervals, foot pod',
  devices: [
    {
      id: 'strap',
      name: 'Demo HR strap',
      kind: 'hr',
      metrics: { heartRate: { type: 'sine', mean: 128, amplitude: 18, periodS: 90, noise: 2 } },
      events: [{ type: 'dropout', atS: 40, forS: 8 }],
      battery: { startPct: 86, drainPctPerHour: 4 },
    },
    {
      id: 'power',
      name: 'Demo power meter',
      kind: 'power',
      metrics: {
        power: { type: 'intervals', low: 150, high: 310, workS: 30, restS: 30, noise: 12 },
        cadence: { type: 'intervals', low: 82, high: 96, workS: 30, restS: 30, noise: 2 },
      },
      battery: { startPct: 64, drainPctPerHour: 2 },
    },
    {
      id: 'footpod',
      name: 'Demo foot pod',
      kind: 'rsc',
      metrics: {
        speed: { type: 'ramp', from: 2.5, to: 4.2, overS: 300, noise: 0.1 },
        stepCadence: { type: 'steady', value: 168, noise: 3 },
      },
    },
  ],
};

/** Three steady devices without events: the baseline for tests. */
const steady3: ScenarioInput = {
  name: 'steady3',
  description: 'Three steady devices (strap 70 bpm, power meter 200 W, foot pod 3 m/s), no events',
  devices: [
    { id: 'strap', name: 'Strap A', kind: 'hr', metrics: { heartRate: { type: 'steady', value: 70 } } },
    {
      id: 'power',
      name: 'Power B',
      kind: 'power',
      metrics: { power: { type: 'steady', value: 200 }, cadence: { type: 'steady', value: 90 } },
    },
    {
      id: 'footpod',
      name: 'Pod C',
      kind: 'rsc',
      metrics: { speed: { type: 'steady', value: 3 }, stepCadence: { type: 'steady', value: 170 } },
    },
  ],
};

/** A gym class: 50 heart-rate straps (sample level), each athlete at their own effort, for the class display. */
const gym50: ScenarioInput = {
  name: 'gym50',
  description: 'Gym class: 50 heart-rate straps at 4 Hz, each on its own effort curve',
  devices: Array.from({ length: 50 }, (_, i) => {
    const n = String(i + 1).padStart(2, '0');
    return {
      id: `strap${n}`,
      name: `Strap ${n}`,
      kind: 'hr' as const,
      metrics: {
        heartRate: { type: 'sine' as const, mean: 96 + ((i * 37) % 58), amplitude: 6 + ((i * 5) % 14), periodS: 60 + ((i * 23) % 120), noise: 2 },
      },
      battery: { startPct: 40 + ((i * 13) % 60), drainPctPerHour: 3 },
    };
  }),
};

/** Built-in scenarios by name. */
export const BUILTIN_SCENARIOS: Readonly<Record<string, ScenarioInput>> = { demo, steady3, gym50, ...ANT_SCENARIOS };
