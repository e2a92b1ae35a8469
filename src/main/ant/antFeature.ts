/**
 * The ANT+ feature as the host composes it: the service over the real USB bus, or — with a scenario that has
 * `transport: 'ant'` devices — over simulated sticks stepped by a real-time timer (`--simulate`), plus the contract
 * handlers. One simulated ANT USB-m stick carries up to {@link DEVICES_PER_SIM_STICK} devices.
 */
import type { DeviceId } from '../../shared/device';
import type { Scenario } from '../../shared/scenario';
import type { antCommands } from '../../shared/contract/ant';
import { nowMs, type SampleSink } from '../../shared/sample';
import { appError } from '../../shared/errors';
import type { z } from 'zod';
import { AntService, type AntDeviceRegistry, type AntServiceStatus } from './antService';
import { SimAntBus } from './sim/simBus';
import { SimAntStick } from './sim/simStick';
import { simAntDevicesOf } from './sim/scenarioDevices';
import type { AntMode, PairedDevice } from './stickSession';
import type { AntBus } from './transport';

/** Devices per simulated stick (45 HR straps saturate the 190 Hz USB-m ceiling — §10.2). */
const DEVICES_PER_SIM_STICK = 40;

/** Options of the feature. */
export interface AntFeatureOptions {
  readonly sink: SampleSink;
  readonly registry: AntDeviceRegistry;
  readonly onStatus: (status: AntServiceStatus) => void;
  /** Scenario with ANT+ devices: simulate instead of opening real sticks. */
  readonly scenario?: Scenario | null;
  /** Use real USB sticks (default true when no scenario has ANT+ devices). */
  readonly isUsbEnabled?: boolean;
  readonly mode?: AntMode;
  readonly paired?: readonly PairedDevice[];
  /** Every received data message, for the raw transport log. */
  readonly onDataFrame?: (frame: Uint8Array, tMs: number, stickKey: string, deviceId: DeviceId | null) => void;
}

/** A running ANT+ feature. */
export interface AntFeature {
  readonly service: AntService | null;
  readonly simBus: SimAntBus | null;
  start(): Promise<void>;
  stop(): Promise<void>;
}

/** Build the feature; real USB is loaded lazily so a missing libusb becomes a status error, not a crash. */
export async function createAntFeature(opts: AntFeatureOptions): Promise<AntFeature> {
  const simDevices = opts.scenario ? simAntDevicesOf(opts.scenario) : [];
  let bus: AntBus;
  let simBus: SimAntBus | null = null;
  if (simDevices.length > 0) {
    simBus = new SimAntBus();
    for (let i = 0; i < simDevices.length; i += DEVICES_PER_SIM_STICK) {
      const stick = new SimAntStick({ key: `sim-${i / DEVICES_PER_SIM_STICK + 1}` });
      for (const d of simDevices.slice(i, i + DEVICES_PER_SIM_STICK)) stick.addDevice(d);
      simBus.plug(stick);
    }
    bus = simBus;
  } else if (opts.isUsbEnabled === false) {
    return { service: null, simBus: null, start: async () => undefined, stop: async () => undefined };
  } else {
    try {
      const { NodeUsbBus } = await import('./nodeUsbBus');
      bus = new NodeUsbBus();
    } catch (e) {
      const error = appError('ANT_USB_FAILED', `USB support could not be loaded (${e instanceof Error ? e.message : String(e)}); ANT+ sticks are unavailable. On Linux install libudev1.`);
      opts.onStatus({ sticks: [], error });
      return { service: null, simBus: null, start: async () => undefined, stop: async () => undefined };
    }
  }
  const service = new AntService({ bus, sink: opts.sink, registry: opts.registry, onStatus: opts.onStatus, mode: opts.mode, paired: opts.paired, onDataFrame: opts.onDataFrame });
  let timer: ReturnType<typeof setInterval> | null = null;
  return {
    service,
    simBus,
    async start() {
      if (simBus) {
        const startMs = nowMs();
        const sb = simBus;
        timer = setInterval(() => sb.advanceTo(nowMs() - startMs), 50);
        timer.unref?.();
      }
      await service.start();
    },
    async stop() {
      if (timer) clearInterval(timer);
      timer = null;
      await service.stop();
    },
  };
}

type AntCommands = typeof antCommands;
/** Handlers of the ANT+ commands (assignable to the host's `HandlerSet` once the section is merged into COMMANDS). */
export type AntHandlers = {
  readonly [K in keyof AntCommands]: (args: z.output<AntCommands[K]['args']>) => z.output<AntCommands[K]['result']> | Promise<z.output<AntCommands[K]['result']>>;
};

/** Contract handlers of the ANT+ section. */
export function antHandlers(feature: AntFeature): AntHandlers {
  return {
    'ant.status': () => feature.service?.status() ?? { sticks: [], error: null },
    'ant.setMode': async ({ mode, paired }) => (feature.service ? feature.service.setMode(mode, paired ?? []) : { sticks: [], error: null }),
  };
}
