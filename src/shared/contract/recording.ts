/** The recording section of the UI–host contract: sessions, checklist, markers, exports. */
import { z } from 'zod';
import { EXPORT_FORMAT_IDS } from '../recording/exportFormats';
import { participantSchema } from '../recording/records';
import { command, noArgs, nothing } from './schemas';
import { sessionViewCommands } from './sessionView';

const markerSchema = z.object({ n: z.number().int(), tMs: z.number(), label: z.string(), source: z.string() });

/** Status of the recorder. */
export const recordingStatusSchema = z.object({
  isRecording: z.boolean(),
  sessionId: z.string().nullable(),
  startMs: z.number().nullable(),
  elapsedMs: z.number(),
  sizeBytes: z.number(),
  sampleCount: z.number(),
  markers: z.array(markerSchema),
  recoveredSessionIds: z.array(z.string()),
  autoStartWaitingFor: z.array(z.string()).nullable(),
});

/** One recorded session in the list. */
export const sessionSummarySchema = z.object({
  id: z.string(),
  subjectId: z.string(),
  sessionId: z.string(),
  startIso: z.string(),
  durationMs: z.number().nullable(),
  participants: z.array(z.string()),
  sizeBytes: z.number(),
  state: z.enum(['recording', 'complete']),
  recovered: z.boolean(),
  markerCount: z.number(),
});

const idLabel = z.string().trim().min(1).max(64);

/** Where a marker came from. */
export const MARKER_SOURCES = ['ui', 'keyboard', 'contract', 'test'] as const;

/** Recording commands. */
export const recordingCommands = {
  'recording.status': command(noArgs, recordingStatusSchema),
  /** Which required sensors are not live right now. */
  'recording.checklist': command(
    z.object({ requiredDeviceIds: z.array(z.string().min(1).max(120)).max(200) }),
    z.object({ required: z.array(z.string()), missing: z.array(z.string()), isReady: z.boolean() }),
  ),
  /**
   * Start a session (`isAutoStart`: wait until every required sensor is live). Fails with
   * REC_MISSING_SENSORS when required sensors are missing unless `isStartAnyway`.
   */
  'recording.start': command(
    z.object({
      subjectId: idLabel,
      sessionId: idLabel,
      participants: z.array(participantSchema).max(100).optional(),
      requiredDeviceIds: z.array(z.string().min(1).max(120)).max(200).optional(),
      isStartAnyway: z.boolean().optional(),
      isAutoStart: z.boolean().optional(),
    }),
    recordingStatusSchema,
  ),
  'recording.cancelAutoStart': command(noArgs, nothing),
  'recording.stop': command(noArgs, sessionSummarySchema),
  /** A labelled marker, from the UI button, the keyboard shortcut, lab software or tests. */
  'recording.marker': command(
    z.object({ label: z.string().trim().min(1).max(200), source: z.enum(MARKER_SOURCES).optional() }),
    markerSchema,
  ),
  'recording.list': command(noArgs, z.array(sessionSummarySchema)),
  /** Export into the session folder; progress arrives as `recordingExportProgress` events. */
  'recording.export': command(
    z.object({ sessionId: z.string().regex(/^[A-Za-z0-9_-]{1,120}$/), formats: z.array(z.enum(EXPORT_FORMAT_IDS)).min(1).optional() }),
    z.object({ outDir: z.string(), files: z.array(z.string()), samples: z.number(), badLines: z.number(), warnings: z.array(z.string()) }),
  ),
  ...sessionViewCommands,
} as const;

/** Recording events. */
export const recordingEvents = {
  /** The recorder's status after every change, and every second while recording. */
  recordingStatus: recordingStatusSchema,
  /** Progress of an export, 0 to 1. */
  recordingExportProgress: z.object({ sessionId: z.string(), fraction: z.number().min(0).max(1) }),
} as const;

/** The recorder status as it crosses the contract. */
export type RecordingStatusView = z.output<typeof recordingStatusSchema>;
/** A session summary as it crosses the contract. */
export type SessionSummaryView = z.output<typeof sessionSummarySchema>;
