/** The core section of the UI–host contract: host info, devices, samples, clock, simulation. */
import { z } from 'zod';
import { DEVICE_KINDS } from '../device';
import { METRIC_IDS } from '../metrics';
import { scenarioSchema } from '../scenario';
import { command, deviceInfoSchema, noArgs, nothing, sampleSchema } from './schemas';

/** How the host runs. */
export const HOST_MODES = ['electron', 'web', 'headless'] as const;

const hostInfo = z.object({
  version: z.string(),
  mode: z.enum(HOST_MODES),
  scenario: z.string().nullable(),
  isTestControlEnabled: z.boolean(),
  startedAtMs: z.number(),
  dataDir: z.string(),
});

const simDevice = z.object({
  deviceId: z.string(),
  scenarioId: z.string(),
  name: z.string(),
  kind: z.enum(DEVICE_KINDS),
  isDroppedOut: z.boolean(),
  values: z.partialRecord(z.enum(METRIC_IDS), z.number()),
});

/** Core commands: name → args and result. */
export const coreCommands = {
  'host.info': command(noArgs, hostInfo),
  'devices.list': command(noArgs, z.array(deviceInfoSchema)),
  /** Samples produced in the UI process (Web Bluetooth) for the hub. */
  /** Only `ble:` devices are accepted; `rejected` counts readings of other namespaces. */
  'samples.ingest': command(z.object({ samples: z.array(sampleSchema).max(5000) }), z.object({ accepted: z.number(), rejected: z.number().optional() })),
  /** A device owned by the UI process (Web Bluetooth) announces itself or its new state. */
  'devices.report': command(
    z.object({ device: deviceInfoSchema.omit({ lastSeenMs: true }), reason: z.string().max(200).optional() }),
    nothing,
  ),
  /** Raw BLE notification bytes from the UI process, for the recording's raw transport log. */
  'raw.ingest': command(
    z.object({
      messages: z
        .array(
          z.object({
            tMs: z.number().finite().positive(),
            deviceId: z.string().startsWith('ble:').max(120),
            characteristic: z.string().max(64),
            bytesHex: z.string().regex(/^([0-9a-f]{2})*$/i).max(1024),
          }),
        )
        .max(5000),
    }),
    z.object({ accepted: z.number() }),
  ),
  'devices.forget': command(z.object({ deviceId: z.string() }), nothing),
  /**
   * The host's recent history (at most the last 10 minutes) of every device metric, columnar, so a
   * page that opens or reloads starts its charts from it. `isStale`: the hub has marked the metric
   * stale (no reading for its timeout); its newest value is not current until a new reading comes
   * (`deviceEvent` then says `recovered`).
   */
  'samples.recent': command(
    z.object({ windowMs: z.number().int().positive().max(600_000).optional() }),
    z.object({
      series: z.array(
        z.object({
          deviceId: z.string(),
          metric: z.enum(METRIC_IDS),
          tMs: z.array(z.number().finite()),
          values: z.array(z.number().finite()),
          isStale: z.boolean(),
        }),
      ),
    }),
  ),
  /** Clock ping: the host answers with its clock so the UI offset can be measured. */
  'clock.ping': command(z.object({ clientSendMs: z.number() }), z.object({ hostMs: z.number() })),
  /** Answer to the host's `clockPing` event: the UI's clock when it received the ping. */
  'clock.pong': command(z.object({ pingId: z.number().int(), clientMs: z.number().finite() }), nothing),
  'sim.scenarios': command(
    noArgs,
    z.array(z.object({ name: z.string(), description: z.string(), deviceCount: z.number() })),
  ),
  'sim.load': command(z.object({ name: z.string().optional(), scenario: scenarioSchema.optional() }), nothing),
  'sim.list': command(noArgs, z.array(simDevice)),
  'sim.addDevice': command(
    z.object({
      kind: z.enum(DEVICE_KINDS),
      name: z.string().min(1).max(60).optional(),
      values: z.partialRecord(z.enum(METRIC_IDS), z.number().finite()).optional(),
    }),
    z.object({ deviceId: z.string() }),
  ),
  'sim.removeDevice': command(z.object({ deviceId: z.string() }), nothing),
  'sim.setValue': command(
    z.object({ deviceId: z.string(), metric: z.enum(METRIC_IDS), value: z.number().finite() }),
    nothing,
  ),
  /** Silence a simulated device; `durationMs` omitted: until `sim.reconnect`. */
  'sim.dropout': command(z.object({ deviceId: z.string(), durationMs: z.number().positive().optional() }), nothing),
  'sim.reconnect': command(z.object({ deviceId: z.string() }), nothing),
  /**
   * Test control: the silence after which `metric` goes stale, for every device (fast dropout tests);
   * `null` restores the metric's default (src/shared/metrics.ts).
   */
  'sim.setStaleTimeout': command(
    z.object({ metric: z.enum(METRIC_IDS), staleAfterMs: z.number().int().min(50).max(600_000).nullable() }),
    nothing,
  ),
} as const;

/** Core events pushed to the UI: name → payload. */
export const coreEvents = {
  /** A batch of samples (at most one per UI frame). */
  samples: z.object({ samples: z.array(sampleSchema) }),
  /** The full device list after any change. */
  devices: z.object({ devices: z.array(deviceInfoSchema) }),
  /** A metric of a device went stale or recovered. */
  deviceEvent: z.object({
    type: z.enum(['stale', 'recovered']),
    deviceId: z.string(),
    metric: z.enum(METRIC_IDS),
    tMs: z.number(),
  }),
  /** The host measures each UI's clock offset: the UI answers with `clock.pong`. */
  clockPing: z.object({ pingId: z.number().int(), hostSendMs: z.number() }),
  /** Something the user should see (errors with codes, warnings). */
  notice: z.object({
    level: z.enum(['info', 'warning', 'error']),
    code: z.string().optional(),
    message: z.string(),
    tMs: z.number(),
  }),
} as const;
