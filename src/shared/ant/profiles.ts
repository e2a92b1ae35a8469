/**
 * ANT+ device profiles the app reads — docs/ant-plus.md §5 (device type, channel period in 1/32768 s)
 * and how each maps onto the app's device kinds.
 */
import type { DeviceKind } from '../device';

/** One ANT+ profile this app decodes. */
export type AntProfileName = 'hr' | 'speedCadence' | 'cadence' | 'speed' | 'stride' | 'power' | 'fe';

/** One profile. */
export interface AntProfile {
  readonly name: AntProfileName;
  readonly deviceType: number;
  /** Channel period in 1/32768 s. */
  readonly period: number;
  readonly kind: DeviceKind;
  readonly label: string;
}

/** Every profile, keyed by name. */
export const ANT_PROFILES: { readonly [K in AntProfileName]: AntProfile } = {
  hr: { name: 'hr', deviceType: 0x78, period: 8070, kind: 'hr', label: 'ANT+ heart rate' },
  speedCadence: { name: 'speedCadence', deviceType: 0x79, period: 8086, kind: 'csc', label: 'ANT+ speed & cadence' },
  cadence: { name: 'cadence', deviceType: 0x7a, period: 8102, kind: 'cadence', label: 'ANT+ cadence' },
  speed: { name: 'speed', deviceType: 0x7b, period: 8118, kind: 'speed', label: 'ANT+ speed' },
  stride: { name: 'stride', deviceType: 0x7c, period: 8134, kind: 'rsc', label: 'ANT+ foot pod' },
  power: { name: 'power', deviceType: 0x0b, period: 8182, kind: 'power', label: 'ANT+ power meter' },
  fe: { name: 'fe', deviceType: 0x11, period: 8192, kind: 'bike', label: 'ANT+ fitness equipment' },
};

/** Profile by ANT+ device type, or undefined for types the app does not read. */
export function profileByDeviceType(deviceType: number): AntProfile | undefined {
  for (const p of Object.values(ANT_PROFILES)) if (p.deviceType === deviceType) return p;
  return undefined;
}

/** Profile that renders a device kind over ANT+ (treadmills are FE devices too). */
export function profileForKind(kind: DeviceKind): AntProfile {
  switch (kind) {
    case 'hr':
      return ANT_PROFILES.hr;
    case 'csc':
      return ANT_PROFILES.speedCadence;
    case 'cadence':
      return ANT_PROFILES.cadence;
    case 'speed':
      return ANT_PROFILES.speed;
    case 'rsc':
      return ANT_PROFILES.stride;
    case 'power':
      return ANT_PROFILES.power;
    case 'bike':
    case 'treadmill':
      return ANT_PROFILES.fe;
  }
}

/** Channel period (1/32768 s) to milliseconds. */
export function periodToMs(period: number): number {
  return (period * 1000) / 32768;
}
