/** The gym-mode section of the UI–host contract: roster, sensor assignment, tap to claim, classes. */
import { z } from 'zod';
import { participantPatchSchema, participantSchema } from '../roster/participant';
import { command, noArgs, nothing } from './schemas';

/** A running "tap to claim". */
const claimSchema = z.object({
  participantId: z.string(),
  startedAtMs: z.number(),
  expiresAtMs: z.number(),
  riseBpm: z.number(),
  absoluteBpm: z.number().nullable(),
});

/** A class in progress. */
const classStateSchema = z.object({ startedAtMs: z.number() });

const athleteSummarySchema = z.object({
  participantId: z.string(),
  name: z.string(),
  durationS: z.number(),
  avgHrBpm: z.number().nullable(),
  maxHrBpm: z.number().nullable(),
  zoneS: z.array(z.number()).nullable(),
  kcal: z.number().nullable(),
  notes: z.array(z.string()),
});

/** Schema of a class summary. */
export const classSummarySchema = z.object({
  startedAtMs: z.number(),
  endedAtMs: z.number(),
  athletes: z.array(athleteSummarySchema),
});

/** Everything the UI shows about the roster. */
export const rosterViewSchema = z.object({
  participants: z.array(participantSchema),
  ignoredDeviceIds: z.array(z.string()),
  claim: claimSchema.nullable(),
  classState: classStateSchema.nullable(),
  /** Sensors in range that belong to nobody and are not ignored. */
  unassignedDeviceIds: z.array(z.string()),
});

/** Roster commands. */
export const rosterCommands = {
  'roster.get': command(noArgs, rosterViewSchema),
  /** Add a participant (no id) or change the given fields of one (with id); a new one needs a name. */
  'roster.upsertParticipant': command(z.object({ participant: participantPatchSchema }), participantSchema),
  'roster.removeParticipant': command(z.object({ participantId: z.string() }), nothing),
  /** Assign a sensor (moving it from anyone else) at a position in the athlete's preference list. */
  'roster.assign': command(
    z.object({ deviceId: z.string().min(1).max(120), participantId: z.string(), position: z.number().int().min(0).optional() }),
    nothing,
  ),
  'roster.unassign': command(z.object({ deviceId: z.string() }), nothing),
  'roster.ignore': command(z.object({ deviceId: z.string().min(1).max(120) }), nothing),
  'roster.unignore': command(z.object({ deviceId: z.string() }), nothing),
  /** Tap to claim: the first strap whose HR rises by `riseBpm` (or reaches `absoluteBpm`) is assigned. */
  'roster.claimStart': command(
    z.object({
      participantId: z.string(),
      riseBpm: z.number().min(3).max(80).optional(),
      absoluteBpm: z.number().min(60).max(230).optional(),
      timeoutMs: z.number().min(1000).max(600_000).optional(),
    }),
    claimSchema,
  ),
  'roster.claimCancel': command(noArgs, nothing),
  /** Import participants from CSV: all or nothing. `replace` drops participants not in the file. */
  'roster.importCsv': command(
    z.object({ csv: z.string().max(2_000_000), mode: z.enum(['merge', 'replace']).default('merge') }),
    z.object({ imported: z.number() }),
  ),
  'roster.exportCsv': command(noArgs, z.object({ csv: z.string() })),
  'roster.startClass': command(noArgs, classStateSchema),
  'roster.endClass': command(noArgs, classSummarySchema),
  /** The last class summary (null before the first class ended). */
  'roster.lastSummary': command(noArgs, classSummarySchema.nullable()),
  'roster.summaryCsv': command(noArgs, z.object({ csv: z.string(), fileName: z.string() })),
} as const;

/** Roster events. */
export const rosterEvents = {
  /** The roster, claim or class state changed. */
  roster: rosterViewSchema,
  /** A new sensor in range belongs to nobody (announced once per device). */
  rosterDeviceFound: z.object({ deviceId: z.string(), name: z.string() }),
  /** A tap-to-claim ended. */
  rosterClaim: z.object({
    participantId: z.string(),
    outcome: z.enum(['assigned', 'timeout', 'cancelled']),
    deviceId: z.string().nullable(),
  }),
} as const;
