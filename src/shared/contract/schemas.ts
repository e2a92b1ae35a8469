/** Zod schemas of the shared domain types, used by every contract section. */
import { z } from 'zod';
import { DEVICE_KINDS, DEVICE_STATUSES } from '../device';
import { METRIC_IDS } from '../metrics';

/** Schema of {@link import('../sample').DeviceTiming}. */
export const deviceTimingSchema = z.object({
  eventTicks: z.number().finite().optional(),
  ticksPerSecond: z.number().finite().positive().optional(),
  eventCount: z.number().finite().optional(),
  flags: z.number().int().min(0).optional(),
});

/** Schema of {@link import('../sample').Sample}. */
export const sampleSchema = z.object({
  tMs: z.number().finite().positive(),
  deviceId: z.string().min(1).max(120),
  metric: z.enum(METRIC_IDS),
  value: z.number().finite(),
  timing: deviceTimingSchema.optional(),
  seq: z.number().int().optional(),
});

/** Schema of {@link import('../device').DeviceInfo}. */
export const deviceInfoSchema = z.object({
  id: z.string().min(1).max(120),
  name: z.string().max(120),
  kind: z.enum(DEVICE_KINDS),
  source: z.enum(['ble', 'ant', 'sim']),
  status: z.enum(DEVICE_STATUSES),
  lastSeenMs: z.number().nullable(),
  batteryPct: z.number().nullable(),
  contact: z.boolean().nullable(),
  isSimulated: z.boolean(),
});

/** A command: argument schema and result schema. */
export interface CommandSpec<A extends z.ZodType = z.ZodType, R extends z.ZodType = z.ZodType> {
  readonly args: A;
  readonly result: R;
}

/** Declare a command spec (keeps literal types). */
export function command<A extends z.ZodType, R extends z.ZodType>(args: A, result: R): CommandSpec<A, R> {
  return { args, result };
}

/** Empty argument object. */
export const noArgs = z.object({}).strict();
/** Result of commands that return nothing. */
export const nothing = z.null();
