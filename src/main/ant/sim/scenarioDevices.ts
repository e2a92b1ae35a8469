/**
 * Adapts the scenario model (src/shared/scenario.ts) onto simulated ANT+ devices: scenario devices with
 * `transport: 'ant'` become {@link SimAntDevice}s whose values follow the scenario curves (with the scenario's
 * seed) and whose range follows its dropout/reconnect events.
 */
import { batteryAt, curveValue, isDroppedOut, type Scenario, type ScenarioDevice } from '../../../shared/scenario';
import type { SimAntDevice, SimValues } from './simDevices';

/** Device number of a scenario device: its `antDeviceNumber`, else a stable hash of its id (1–65535). */
export function antDeviceNumberOf(def: Pick<ScenarioDevice, 'id' | 'antDeviceNumber'>): number {
  if (def.antDeviceNumber) return def.antDeviceNumber;
  let h = 2166136261;
  for (let i = 0; i < def.id.length; i++) h = Math.imul(h ^ def.id.charCodeAt(i), 16777619) >>> 0;
  return (h % 65535) + 1;
}

/** One scenario device as a simulated ANT+ device (scenario time 0 = `tMs` 0). */
function simAntDeviceFromScenario(def: ScenarioDevice, seed: number, key: number): SimAntDevice {
  const m = def.metrics;
  const at = (id: keyof typeof m, tS: number): number | undefined => {
    const c = m[id];
    return c ? curveValue(c, tS, seed, key * 31 + id.length) : undefined;
  };
  return {
    kind: def.kind,
    deviceNumber: antDeviceNumberOf(def),
    valueAt(tMs: number): SimValues {
      const tS = tMs / 1000;
      return {
        heartRate: at('heartRate', tS),
        power: at('power', tS),
        cadence: at('cadence', tS),
        speedMps: at('speed', tS),
        stepCadence: at('stepCadence', tS),
        batteryPct: batteryAt(def, tS) ?? undefined,
      };
    },
    isInRange: (tMs: number) => !isDroppedOut(def.events, tMs / 1000),
  };
}

/** Every `transport: 'ant'` device of a scenario. */
export function simAntDevicesOf(scenario: Scenario): SimAntDevice[] {
  return scenario.devices.flatMap((d, i) => (d.transport === 'ant' ? [simAntDeviceFromScenario(d, scenario.seed, i + 1)] : []));
}
