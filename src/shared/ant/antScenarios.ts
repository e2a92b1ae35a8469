/**
 * Built-in scenarios with ANT+ devices for `--simulate` (rendered as bytes by the simulated stick):
 * `ant-gym` — a class of 40 heart-rate straps on one stick in scan mode; `ant-bike` — one of each cycling and
 * running profile. Register them next to the other built-ins (`BUILTIN_SCENARIOS`).
 */
import type { ScenarioInput } from '../scenario';

const gym: ScenarioInput = {
  name: 'ant-gym',
  description: '40 ANT+ heart-rate straps at 4 Hz on one simulated ANT USB-m stick (scan mode), one drops out for 10 s',
  devices: Array.from({ length: 40 }, (_, i) => ({
    id: `ant-hr-${i + 1}`,
    name: `ANT+ strap ${i + 1}`,
    kind: 'hr' as const,
    transport: 'ant' as const,
    antDeviceNumber: 20_000 + i + 1,
    metrics: { heartRate: { type: 'sine' as const, mean: 120 + (i % 20), amplitude: 25, periodS: 60 + i, noise: 2 } },
    events: i === 0 ? [{ type: 'dropout' as const, atS: 30, forS: 10 }] : [],
    battery: { startPct: 90 - i, drainPctPerHour: 2 },
  })),
};

const bike: ScenarioInput = {
  name: 'ant-bike',
  description: 'ANT+ power meter, speed & cadence sensor, smart trainer, foot pod and a strap on one simulated stick',
  devices: [
    { id: 'ant-strap', name: 'ANT+ strap', kind: 'hr', transport: 'ant', antDeviceNumber: 12345, metrics: { heartRate: { type: 'intervals', low: 110, high: 160, workS: 60, restS: 30 } } },
    { id: 'ant-pm', name: 'ANT+ power meter', kind: 'power', transport: 'ant', antDeviceNumber: 2001, metrics: { power: { type: 'intervals', low: 150, high: 300, workS: 60, restS: 30 }, cadence: { type: 'steady', value: 90, noise: 3 } } },
    { id: 'ant-csc', name: 'ANT+ speed & cadence', kind: 'csc', transport: 'ant', antDeviceNumber: 2002, metrics: { speed: { type: 'steady', value: 9, noise: 0.5 }, cadence: { type: 'steady', value: 88, noise: 3 } } },
    { id: 'ant-trainer', name: 'ANT+ FE-C trainer', kind: 'bike', transport: 'ant', antDeviceNumber: 2003, metrics: { power: { type: 'ramp', from: 100, to: 250, overS: 300 }, cadence: { type: 'steady', value: 85 }, speed: { type: 'steady', value: 8.5 } } },
    { id: 'ant-pod', name: 'ANT+ foot pod', kind: 'rsc', transport: 'ant', antDeviceNumber: 2004, metrics: { speed: { type: 'steady', value: 3.2 }, stepCadence: { type: 'steady', value: 168, noise: 2 } } },
  ],
};

/** ANT+ scenarios by name. */
export const ANT_SCENARIOS: { readonly [name: string]: ScenarioInput } = { 'ant-gym': gym, 'ant-bike': bike };
