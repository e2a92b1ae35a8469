/**
 * The record format of a session: one JSON object per line, followed by a tab and the CRC-32
 * (8 hex digits) of the JSON text, then `\n`. Lines are appended and never rewritten, so a crash
 * can only tear the last line, which the CRC exposes. Numbers are written by `JSON.stringify`,
 * which round-trips every double exactly: RR intervals and device timing are stored as received.
 */
import { z } from 'zod';
import { appError, type AppError } from '../errors';
import { METRIC_IDS } from '../metrics';
import { crc32Hex, crc32Utf8 } from './crc32';

/** Record format version written in the header. */
export const RECORD_FORMAT_VERSION = 1;

/** Device timing; unknown keys a newer source adds are kept, not rejected (the line stays readable). */
const timingSchema = z.looseObject({
  eventTicks: z.number().optional(),
  ticksPerSecond: z.number().optional(),
  eventCount: z.number().optional(),
  flags: z.number().optional(),
});

/** A participant of a session and the devices they wear (empty: every device no one else claims). */
export const participantSchema = z.object({
  id: z.string().min(1).max(64),
  deviceIds: z.array(z.string().min(1).max(120)).max(200).default([]),
});
/** A participant of a session. */
export type SessionParticipant = z.output<typeof participantSchema>;

/** Session header: first record of the recording file. */
const headerRecordSchema = z.object({
  k: z.literal('header'),
  v: z.number().int(),
  base: z.string(),
  subjectId: z.string(),
  sessionId: z.string(),
  /** Wall-clock start, ISO 8601 UTC. */
  startIso: z.string(),
  /** Wall-clock start, epoch ms (same clock as every `t`). */
  startMs: z.number(),
  /** `process.hrtime.bigint()` at start, nanoseconds, as a decimal string (monotonic reference). */
  hrtimeNs: z.string(),
  /** `performance.timeOrigin` of the host process (epoch ms); `t` = timeOrigin + performance.now(). */
  timeOriginMs: z.number(),
  /** IANA time zone of the host (Intl). */
  timeZone: z.string(),
  /** Local UTC offset at start, minutes east of UTC. */
  utcOffsetMin: z.number(),
  participants: z.array(participantSchema),
  requiredDeviceIds: z.array(z.string()),
  /** Required devices that were missing when the session was started anyway. */
  missingAtStart: z.array(z.string()),
  app: z.object({ version: z.string(), mode: z.string() }).partial().default({}),
});

/** One sample, exactly as the hub released it. */
const sampleRecordSchema = z.object({
  k: z.literal('s'),
  /** Reception time, epoch ms with sub-ms fraction. */
  t: z.number(),
  d: z.string(),
  m: z.enum(METRIC_IDS),
  v: z.number(),
  /** Device timing as received (absent when the sensor gives none). */
  ti: timingSchema.optional(),
});

/** Connection events recorded for researchers. */
export const LINK_EVENTS = ['connected', 'stale', 'lost', 'reconnected', 'connecting', 'reconnecting', 'disconnected'] as const;

/** A device link event. */
const linkRecordSchema = z.object({
  k: z.literal('link'),
  t: z.number(),
  d: z.string(),
  e: z.enum(LINK_EVENTS),
  reason: z.string(),
});

/** A labelled marker. */
const markerRecordSchema = z.object({
  k: z.literal('marker'),
  t: z.number(),
  /** Marker number in the session, from 1. */
  n: z.number().int(),
  label: z.string(),
  /** Who sent it: `ui`, `keyboard`, `contract`, `test`, … */
  src: z.string(),
});

/** A clock-offset measurement of a UI process that sends samples. */
const clockRecordSchema = z.object({
  k: z.literal('clock'),
  t: z.number(),
  client: z.string(),
  /** Clock of the UI process minus the host clock (ms). */
  offsetMs: z.number(),
  rttMs: z.number(),
});

/**
 * A pair of readings of the host's two clocks taken together: `t` on the clock every `t` is on
 * (epoch ms), `hrNs` on the monotonic clock (`process.hrtime`, ns, decimal string) halfway through
 * the reading of `t`, `spanNs` the time the pair took (its uncertainty). Written at start and
 * periodically, so exports can map `t` onto the monotonic clock over a long session
 * (docs/xdf.md, "Timestamps"). Added in format version 1; readers that predate it skip the line.
 */
const syncRecordSchema = z.object({
  k: z.literal('sync'),
  t: z.number(),
  hrNs: z.string().regex(/^[0-9]{1,30}$/),
  spanNs: z.number().nonnegative(),
});

/**
 * Which process sends a device's samples (and so which clock their `t` is on): `client` is a UI
 * process (the id its `clock` records carry) or `host`. Written when a device is first reported by
 * a process and whenever that changes.
 */
const sourceRecordSchema = z.object({
  k: z.literal('src'),
  t: z.number(),
  d: z.string(),
  client: z.string(),
});

/** Last record of a session. */
const endRecordSchema = z.object({
  k: z.literal('end'),
  t: z.number(),
  reason: z.enum(['stopped', 'recovered', 'interrupted']),
});

/** One raw transport message (raw log file). */
const rawRecordSchema = z.object({
  k: z.literal('raw'),
  t: z.number(),
  d: z.string(),
  tr: z.enum(['ble', 'ant']),
  /** BLE characteristic UUID. */
  ch: z.string().optional(),
  /** ANT channel number. */
  chan: z.number().int().optional(),
  /** Bytes, lowercase hex. */
  b: z.string().regex(/^([0-9a-f]{2})*$/),
});

/** Any record. */
export const recordSchema = z.discriminatedUnion('k', [
  headerRecordSchema,
  sampleRecordSchema,
  linkRecordSchema,
  markerRecordSchema,
  clockRecordSchema,
  syncRecordSchema,
  sourceRecordSchema,
  endRecordSchema,
  rawRecordSchema,
]);

/** Header record. */
export type HeaderRecord = z.output<typeof headerRecordSchema>;
/** Sample record. */
export type SampleRecord = z.output<typeof sampleRecordSchema>;
/** Link record. */
export type LinkRecord = z.output<typeof linkRecordSchema>;
/** Clock record. */
export type ClockRecord = z.output<typeof clockRecordSchema>;
/** Clock pair record. */
export type SyncRecord = z.output<typeof syncRecordSchema>;
/** Raw transport record. */
export type RawRecord = z.output<typeof rawRecordSchema>;
/** Any record. */
export type SessionRecord = z.output<typeof recordSchema>;

/** Encode one record as a full line (with CRC and `\n`). */
export function encodeRecordLine(record: SessionRecord): string {
  const json = JSON.stringify(record);
  return `${json}\t${crc32Hex(crc32Utf8(json))}\n`;
}

/** Check a line's CRC (line without `\n`); returns the JSON text or null when torn or corrupt. */
export function checkLine(line: string): string | null {
  const tab = line.lastIndexOf('\t');
  if (tab < 0 || line.length - tab !== 9) return null;
  const json = line.slice(0, tab);
  return crc32Hex(crc32Utf8(json)) === line.slice(tab + 1) ? json : null;
}

/** Decode one line (without `\n`): CRC, JSON and shape are checked; failures are errors with codes. */
export function decodeRecordLine(line: string): { ok: true; record: SessionRecord } | { ok: false; error: AppError } {
  const json = checkLine(line.endsWith('\r') ? line.slice(0, -1) : line);
  if (json === null) return { ok: false, error: appError('REC_TORN_RECORD', 'record line is torn or its CRC does not match') };
  return decodeRecordJson(json);
}

const METRIC_SET: ReadonlySet<string> = new Set(METRIC_IDS);
const TIMING_KEYS: ReadonlySet<string> = new Set(['eventTicks', 'ticksPerSecond', 'eventCount', 'flags']);

/**
 * The sample record exactly as the recorder writes it (keys k, t, d, m, v and optionally ti with
 * numeric timing fields), checked by hand: the same rules as {@link sampleRecordSchema}, about
 * ten times faster on hour-long files. Anything else goes through the schema.
 */
function isPlainSampleRecord(o: Record<string, unknown>): boolean {
  if (typeof o.t !== 'number' || typeof o.d !== 'string' || typeof o.v !== 'number') return false;
  if (typeof o.m !== 'string' || !METRIC_SET.has(o.m)) return false;
  let keys = 0;
  for (const key in o) {
    keys++;
    if (key !== 'k' && key !== 't' && key !== 'd' && key !== 'm' && key !== 'v' && key !== 'ti') return false;
  }
  if (o.ti === undefined) return keys === 5;
  const ti = o.ti;
  if (typeof ti !== 'object' || ti === null || Array.isArray(ti)) return false;
  for (const key in ti) {
    const v = (ti as Record<string, unknown>)[key];
    if (TIMING_KEYS.has(key) && v !== undefined && typeof v !== 'number') return false;
  }
  return keys === 6;
}

/** Decode the JSON text of a line whose CRC was checked: JSON and shape are checked. */
export function decodeRecordJson(json: string): { ok: true; record: SessionRecord } | { ok: false; error: AppError } {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (err) {
    return { ok: false, error: appError('REC_BAD_RECORD', `record is not JSON: ${(err as Error).message}`) };
  }
  if (typeof value === 'object' && value !== null && (value as { k?: unknown }).k === 's' && isPlainSampleRecord(value as Record<string, unknown>)) {
    return { ok: true, record: value as SampleRecord };
  }
  const parsed = recordSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      ok: false,
      error: appError('REC_BAD_RECORD', `record has an unexpected shape: ${issue?.path.join('.')} ${issue?.message}`),
    };
  }
  return { ok: true, record: parsed.data };
}

/** Map a device-registry status change to the connection event researchers see. */
export function linkEventName(
  status: string,
  previous: string | null,
  reason: string,
): (typeof LINK_EVENTS)[number] | null {
  if (status === 'live') return reason !== 'reconnected' && (previous === null || previous === 'connecting') ? 'connected' : 'reconnected';
  if (status === 'stale' || status === 'lost' || status === 'connecting' || status === 'reconnecting' || status === 'disconnected') {
    return status;
  }
  return null;
}
