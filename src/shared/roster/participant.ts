/**
 * The roster model: participants (name or alias, Terra identity, max HR or explicit zones,
 * colour, optional body data for calories) and their sensors in preference order. One sensor
 * belongs to at most one participant; the functions here keep that invariant.
 */
import { z } from 'zod';
import type { DeviceId } from '../device';

/** Biological sex as the Keytel et al. (2005) calorie equation needs it. */
export const SEXES = ['male', 'female'] as const;
/** One of {@link SEXES}. */
export type Sex = (typeof SEXES)[number];

/** Default zone lower bounds as % of max HR: zone 1 starts at 50 %, zone 5 at 90 %. */
export const DEFAULT_ZONE_PCT = [50, 60, 70, 80, 90] as const;

const colourSchema = z.string().regex(/^#[0-9a-fA-F]{6}$/, 'colour must be #rrggbb');

/** Participant fields without defaults (an edit names only what it changes). */
const participantFields = {
  id: z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'id: letters, digits, _ or -, at most 40'),
  name: z.string().trim().min(1, 'name is empty').max(60),
  /** Terra user id the athlete's readings are forwarded under (`uid`). */
  terraUserId: z.string().max(120).nullable(),
  /** Reference to where the athlete's broker token comes from (a keychain entry name, never the token). */
  tokenRef: z.string().max(200).nullable(),
  maxHrBpm: z.number().int().min(100).max(240).nullable(),
  /** Explicit zone lower bounds in bpm (zone 1..5, ascending); overrides the % of max HR zones. */
  zonesBpm: z
    .array(z.number().int().min(30).max(240))
    .length(5)
    .refine((z5) => z5.every((v, i) => i === 0 || v > z5[i - 1]!), 'zones must rise from zone 1 to zone 5')
    .nullable(),
  colour: colourSchema,
  ageYears: z.number().int().min(10).max(100).nullable(),
  weightKg: z.number().min(25).max(250).nullable(),
  sex: z.enum(SEXES).nullable(),
  /** Sensors in preference order (first supplies a metric while fresh). */
  deviceIds: z.array(z.string().min(1).max(120)),
};

/** Schema of one participant (what the roster file stores). */
export const participantSchema = z.object({
  ...participantFields,
  terraUserId: participantFields.terraUserId.default(null),
  tokenRef: participantFields.tokenRef.default(null),
  maxHrBpm: participantFields.maxHrBpm.default(null),
  zonesBpm: participantFields.zonesBpm.default(null),
  colour: participantFields.colour.default('#4cc2ff'),
  ageYears: participantFields.ageYears.default(null),
  weightKg: participantFields.weightKg.default(null),
  sex: participantFields.sex.default(null),
  deviceIds: participantFields.deviceIds.default([]),
});

/** An edit of a participant: only the fields given change (no id: a new participant). */
export const participantPatchSchema = z.object(participantFields).partial();
/** An edit of a participant. */
export type ParticipantPatch = z.infer<typeof participantPatchSchema>;

/** One participant. */
export type Participant = z.infer<typeof participantSchema>;
/** A participant as written by a user (defaults not applied yet). */
export type ParticipantInput = z.input<typeof participantSchema>;

/** Most participants a roster holds (the file, the import and every edit enforce the same limit). */
export const MAX_PARTICIPANTS = 500;

/** Schema of the persisted roster. */
export const rosterSchema = z.object({
  version: z.literal(1),
  participants: z.array(participantSchema).max(MAX_PARTICIPANTS),
  /** Sensors the user asked not to be told about again. */
  ignoredDeviceIds: z.array(z.string()).default([]),
});
/** The persisted roster. */
export type Roster = z.infer<typeof rosterSchema>;

/** An empty roster. */
export function emptyRoster(): Roster {
  return { version: 1, participants: [], ignoredDeviceIds: [] };
}

/** Colours handed out to new participants, distinct on a dark background. */
export const PARTICIPANT_COLOURS = [
  '#4cc2ff', '#ff5d6c', '#38d39f', '#ffb547', '#9d8cff', '#ff7ad9', '#5ee0e0', '#c6e35b', '#ff9f5a', '#7aa2ff',
] as const;

/** The participant a device is assigned to, or null. */
export function ownerOf(roster: Roster, deviceId: DeviceId): Participant | null {
  for (const p of roster.participants) if (p.deviceIds.includes(deviceId)) return p;
  return null;
}

/**
 * Assign a device to a participant (at `position` in their preference list, default last),
 * moving it from whoever had it. Returns a new roster; null when the participant is unknown.
 */
export function assignDevice(roster: Roster, deviceId: DeviceId, participantId: string, position?: number): Roster | null {
  if (!roster.participants.some((p) => p.id === participantId)) return null;
  const participants = roster.participants.map((p) => {
    const rest = p.deviceIds.filter((d) => d !== deviceId);
    if (p.id !== participantId) return rest.length === p.deviceIds.length ? p : { ...p, deviceIds: rest };
    const at = position === undefined ? rest.length : Math.max(0, Math.min(rest.length, position));
    return { ...p, deviceIds: [...rest.slice(0, at), deviceId, ...rest.slice(at)] };
  });
  return { ...roster, participants, ignoredDeviceIds: roster.ignoredDeviceIds.filter((d) => d !== deviceId) };
}

/** Remove a device from whoever has it. */
export function unassignDevice(roster: Roster, deviceId: DeviceId): Roster {
  return {
    ...roster,
    participants: roster.participants.map((p) =>
      p.deviceIds.includes(deviceId) ? { ...p, deviceIds: p.deviceIds.filter((d) => d !== deviceId) } : p,
    ),
  };
}

/** Insert or replace a participant; a device already assigned to someone else moves to this participant. */
export function upsertParticipant(roster: Roster, participant: Participant): Roster {
  let next: Roster = roster;
  for (const d of participant.deviceIds) next = unassignDevice(next, d);
  const exists = next.participants.some((p) => p.id === participant.id);
  const participants = exists
    ? next.participants.map((p) => (p.id === participant.id ? participant : p))
    : [...next.participants, participant];
  return { ...next, participants };
}

/**
 * Merge imported participants into a roster in one pass (linear in both): same id replaces,
 * new ids are appended in file order, and a sensor an imported participant wears leaves whoever
 * wore it before.
 */
export function mergeParticipants(roster: Roster, imported: readonly Participant[]): Roster {
  const importedIds = new Set(imported.map((p) => p.id));
  const takenDevices = new Set(imported.flatMap((p) => p.deviceIds));
  const byId = new Map<string, Participant>();
  for (const p of imported) byId.set(p.id, p);
  const participants: Participant[] = [];
  for (const p of roster.participants) {
    if (importedIds.has(p.id)) {
      participants.push(byId.get(p.id)!);
      byId.delete(p.id);
      continue;
    }
    const keep = p.deviceIds.filter((d) => !takenDevices.has(d));
    participants.push(keep.length === p.deviceIds.length ? p : { ...p, deviceIds: keep });
  }
  for (const p of byId.values()) participants.push(p);
  return { ...roster, participants };
}

/** Remove a participant (their sensors become unassigned). */
export function removeParticipant(roster: Roster, participantId: string): Roster {
  return { ...roster, participants: roster.participants.filter((p) => p.id !== participantId) };
}

/** A new participant id not used in the roster, derived from a name. */
export function newParticipantId(roster: Roster, name: string): string {
  const base = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 30) || 'athlete';
  const used = new Set(roster.participants.map((p) => p.id));
  if (!used.has(base)) return base;
  for (let n = 2; ; n++) if (!used.has(`${base}-${n}`)) return `${base}-${n}`;
}
