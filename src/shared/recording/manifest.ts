/**
 * The session manifest: a small JSON file next to the recording that says what the session is,
 * whether it finished (`state`), whether it was recovered after a crash, and what it contains.
 * It is rewritten atomically (temp file + rename) at start, stop and recovery; the recording file
 * stays the source of truth.
 */
import { z } from 'zod';
import { participantSchema } from './records';

/** A marker as listed in the manifest and the UI. */
const markerSchema = z.object({ n: z.number().int(), tMs: z.number(), label: z.string(), source: z.string() });
/** A marker. */
export type SessionMarker = z.output<typeof markerSchema>;

/** The manifest. */
export const manifestSchema = z.object({
  format: z.literal('sensor-relay-session'),
  formatVersion: z.number().int(),
  base: z.string(),
  subjectId: z.string(),
  sessionId: z.string(),
  /** `recording` while open (or after a crash, until recovered); `complete` after stop or recovery. */
  state: z.enum(['recording', 'complete']),
  recovered: z.boolean(),
  startIso: z.string(),
  startMs: z.number(),
  endIso: z.string().nullable(),
  /** Wall-clock duration from start to the last record (ms). */
  durationMs: z.number().nullable(),
  timeZone: z.string(),
  utcOffsetMin: z.number(),
  participants: z.array(participantSchema),
  requiredDeviceIds: z.array(z.string()),
  missingAtStart: z.array(z.string()),
  files: z.object({ records: z.string(), raw: z.string() }),
  counts: z.object({
    samples: z.number().int(),
    links: z.number().int(),
    markers: z.number().int(),
    clock: z.number().int(),
    raw: z.number().int(),
  }),
  /** Devices seen in the samples, in order of first appearance. */
  deviceIds: z.array(z.string()),
  /** Metrics seen per device. */
  metricsByDevice: z.record(z.string(), z.array(z.string())),
  markers: z.array(markerSchema),
  /** Bytes dropped from torn records during recovery. */
  repairedBytes: z.number().int(),
  sizeBytes: z.number().int(),
  /** Why the session ended early ("disk full", "disk I/O error"); absent or null when it did not. */
  interrupted: z.string().nullable().optional(),
  /** Records that reached the recorder but could not be written (after an interruption). */
  droppedRecords: z.number().int().optional(),
});
/** The manifest. */
export type SessionManifest = z.output<typeof manifestSchema>;

/** A session as the sessions list shows it. */
export interface SessionSummary {
  /** Folder name (= base name, possibly with a `-n` suffix if two sessions started in the same second). */
  readonly id: string;
  readonly subjectId: string;
  readonly sessionId: string;
  readonly startIso: string;
  readonly durationMs: number | null;
  readonly participants: readonly string[];
  readonly sizeBytes: number;
  readonly state: SessionManifest['state'];
  readonly recovered: boolean;
  readonly markerCount: number;
}

/** Summary of a manifest for lists. */
export function summarize(id: string, m: SessionManifest): SessionSummary {
  return {
    id,
    subjectId: m.subjectId,
    sessionId: m.sessionId,
    startIso: m.startIso,
    durationMs: m.durationMs,
    participants: m.participants.map((p) => p.id),
    sizeBytes: m.sizeBytes,
    state: m.state,
    recovered: m.recovered,
    markerCount: m.markers.length,
  };
}
