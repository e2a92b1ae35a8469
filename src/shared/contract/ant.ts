/** The ANT+ section of the UI–host contract: stick status for the stick panel, and the receive mode. */
import { z } from 'zod';
import { ERROR_CODES } from '../errors';
import { command, noArgs } from './schemas';

const appErrorSchema = z.object({ code: z.enum(ERROR_CODES), message: z.string() });

/** One stick as the stick panel shows it. */
export const antStickStatusSchema = z.object({
  key: z.string(),
  label: z.string(),
  productId: z.number().int(),
  isSimulated: z.boolean(),
  state: z.enum(['starting', 'running', 'error', 'removed']),
  mode: z.enum(['scan', 'paired']),
  channelsUsed: z.number().int(),
  maxChannels: z.number().int(),
  canScan: z.boolean(),
  messageRateHz: z.number(),
  framesIn: z.number().int(),
  badFrames: z.number().int(),
  deviceCount: z.number().int(),
  error: appErrorSchema.nullable(),
});
/** One stick's status. */
export type AntStickStatusView = z.infer<typeof antStickStatusSchema>;

/** The whole ANT+ status. */
export const antStatusSchema = z.object({
  sticks: z.array(antStickStatusSchema),
  error: appErrorSchema.nullable(),
});
/** The whole ANT+ status. */
export type AntStatusView = z.infer<typeof antStatusSchema>;

/** A device to pair on its own channel (device number 0 = first found). */
export const antPairedDeviceSchema = z.object({
  deviceType: z.number().int().min(1).max(255),
  deviceNumber: z.number().int().min(0).max(65535),
});

/** ANT+ commands. */
export const antCommands = {
  'ant.status': command(noArgs, antStatusSchema),
  /** Restart every stick in scan mode, or in paired mode with these devices. */
  'ant.setMode': command(
    z.object({ mode: z.enum(['scan', 'paired']), paired: z.array(antPairedDeviceSchema).max(64).optional() }),
    antStatusSchema,
  ),
} as const;

/** ANT+ events. */
export const antEvents = {
  /** Stick status, on every change and once a second while sticks run. */
  antStatus: antStatusSchema,
} as const;
