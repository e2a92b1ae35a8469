/**
 * The session view part of the recording contract: open a recorded session (live, finished or
 * recovered) and get compact columnar data for charts — min/max per pixel bucket over long
 * ranges, exact readings when zoomed in — with markers, device link events and a per-device
 * summary. Times are milliseconds from the session start.
 */
import { z } from 'zod';
import { METRIC_IDS } from '../metrics';
import { LINK_EVENTS } from '../recording/records';
import { command } from './schemas';

/** Session ids are folder names: letters, digits, `_` and `-` only (never a path). */
export const sessionIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,120}$/, 'not a session id');

const deviceIdSchema = z.string().min(1).max(120);

/** One charted series: a device metric over the requested range. */
export const viewSeriesSchema = z.object({
  deviceId: deviceIdSchema,
  metric: z.enum(METRIC_IDS),
  /** True when readings were reduced to min and max per bucket; false: every reading in the range. */
  isDecimated: z.boolean(),
  /** Times (ms from session start); a `null` value after a time marks a gap (a dropout) there. */
  tMs: z.array(z.number()),
  values: z.array(z.number().nullable()),
});

/** RR intervals that follow missed beats (one per bucket when decimated). */
export const missedBeatsSchema = z.object({
  deviceId: deviceIdSchema,
  tMs: z.array(z.number()),
  rrMs: z.array(z.number()),
  /** Beats missed before each interval (from the strap's beat counter; 1 when only flagged). */
  missedBeats: z.array(z.number().int().nonnegative()),
});

/** Per-device summary over the whole session. */
export const deviceSummarySchema = z.object({
  deviceId: deviceIdSchema,
  /** Participant owning the device ('' for none). */
  participantId: z.string().max(64),
  metrics: z.array(z.enum(METRIC_IDS)),
  firstMs: z.number(),
  lastMs: z.number(),
  durationMs: z.number(),
  samples: z.number().int(),
  rrIntervals: z.number().int(),
  missedBeats: z.number().int(),
  /** Silences longer than the device's stale timeout, and their total length. */
  dropouts: z.number().int(),
  dropoutMs: z.number(),
  linkEvents: z.number().int(),
});

/** The answer of `recording.view`. */
export const sessionViewSchema = z.object({
  sessionId: sessionIdSchema,
  subjectId: z.string().max(64),
  sessionLabel: z.string().max(64),
  participants: z.array(z.string().max(64)).max(100),
  state: z.enum(['recording', 'complete']),
  recovered: z.boolean(),
  /** The session is being recorded now; later calls return the data recorded since. */
  isLive: z.boolean(),
  /** Wall-clock start (epoch ms); every other time is relative to it. */
  startMs: z.number(),
  /** Time of the last record (ms from start). */
  durationMs: z.number(),
  /** The range the series cover (ms from start). */
  fromMs: z.number(),
  toMs: z.number(),
  devices: z.array(deviceSummarySchema),
  series: z.array(viewSeriesSchema),
  missedBeats: z.array(missedBeatsSchema),
  markers: z.array(z.object({ n: z.number().int(), tMs: z.number(), label: z.string().max(200), source: z.string().max(40) })),
  links: z.array(z.object({ tMs: z.number(), deviceId: deviceIdSchema, event: z.enum(LINK_EVENTS), reason: z.string().max(200) })),
  /** Link events left out of `links` (more than the view lists). */
  linksLeftOut: z.number().int(),
  /** Lines that failed their CRC or shape check, and records with unusable names; both left out. */
  badLines: z.number().int(),
  rejectedRecords: z.number().int(),
});

/** The session view commands (merged into the recording section). */
export const sessionViewCommands = {
  /**
   * Open a session for viewing: whole session by default, or `[fromMs, toMs]` (ms from start)
   * when zoomed; `buckets` is the chart width in pixels. Series of `deviceIds` (default: every
   * device) and `metrics` (default: the charted ones).
   */
  'recording.view': command(
    z.object({
      sessionId: sessionIdSchema,
      fromMs: z.number().finite().optional(),
      toMs: z.number().finite().optional(),
      buckets: z.number().int().min(10).max(4000).default(1000),
      deviceIds: z.array(deviceIdSchema).max(200).optional(),
      metrics: z.array(z.enum(METRIC_IDS)).max(METRIC_IDS.length).optional(),
    }),
    sessionViewSchema,
  ),
  /** Open a session's folder in the system file manager (desktop app only). */
  'recording.openFolder': command(z.object({ sessionId: sessionIdSchema }), z.object({ path: z.string() })),
} as const;

/** A session view as it crosses the contract. */
export type SessionView = z.output<typeof sessionViewSchema>;
/** One series of a session view. */
export type SessionViewSeries = z.output<typeof viewSeriesSchema>;
/** Metrics the session view charts by default. */
export const VIEW_METRICS = ['heartRate', 'rrInterval', 'power', 'cadence', 'stepCadence', 'speed'] as const;
