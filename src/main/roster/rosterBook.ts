/**
 * The roster itself: participants, sensor assignments and ignored sensors, loaded from and saved
 * to the data directory (rosterFile.ts). Every change goes through {@link RosterBook.apply}, which
 * applies it only if it validates against the file schema (so an accepted roster always loads
 * again, docs/security.md "Roster"), saves it, and tells the listeners.
 */
import { fail, ok, type Result } from '../../shared/errors';
import type { DeviceId } from '../../shared/device';
import { rosterFromCsv, rosterToCsv } from '../../shared/roster/csv';
import {
  assignDevice,
  MAX_PARTICIPANTS,
  mergeParticipants,
  newParticipantId,
  participantSchema,
  PARTICIPANT_COLOURS,
  removeParticipant,
  rosterSchema,
  unassignDevice,
  upsertParticipant,
  type Participant,
  type ParticipantPatch,
  type Roster,
} from '../../shared/roster/participant';
import { describeZodError } from '../../shared/contract/wire';
import { loadRoster, saveRoster } from './rosterFile';

/** What the roster book needs. */
export interface RosterBookOptions {
  readonly dataDir: string;
  readonly notice: (level: 'info' | 'warning' | 'error', message: string, code?: string) => void;
}

/** The persisted roster and its edits. */
export class RosterBook {
  private roster: Roster;
  private readonly owner = new Map<DeviceId, Participant>();
  private readonly changeListeners = new Set<() => void>();

  constructor(private readonly options: RosterBookOptions) {
    const loaded = loadRoster(options.dataDir);
    if (loaded.ok) this.roster = loaded.value;
    else {
      this.roster = { version: 1, participants: [], ignoredDeviceIds: [] };
      options.notice('error', loaded.message, loaded.code);
    }
    this.reindex();
  }

  /** The roster as it stands. */
  get current(): Roster {
    return this.roster;
  }

  /** Every participant. */
  participants(): readonly Participant[] {
    return this.roster.participants;
  }

  /** One participant. */
  participant(id: string): Participant | undefined {
    return this.roster.participants.find((p) => p.id === id);
  }

  /** The participant a device is assigned to. */
  ownerOf(deviceId: DeviceId): Participant | null {
    return this.owner.get(deviceId) ?? null;
  }

  /** Whether the user asked not to be told about this sensor again. */
  isIgnored(deviceId: DeviceId): boolean {
    return this.roster.ignoredDeviceIds.includes(deviceId);
  }

  /** Called after every applied change. */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /** Add a participant (no id, or an unknown id) or change the given fields of one; a new one gets an id and a colour. */
  upsert(patch: ParticipantPatch): Result<Participant> {
    const existing = patch.id === undefined ? undefined : this.participant(patch.id);
    const defined = Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined));
    const candidate = existing
      ? { ...existing, ...defined }
      : {
          colour: PARTICIPANT_COLOURS[this.roster.participants.length % PARTICIPANT_COLOURS.length],
          ...defined,
          id: patch.id ?? newParticipantId(this.roster, patch.name ?? ''),
        };
    const parsed = participantSchema.safeParse(candidate);
    if (!parsed.success) return fail('CONTRACT_BAD_ARGS', `Participant: ${describeZodError(parsed.error)}`);
    if (!existing && this.roster.participants.length >= MAX_PARTICIPANTS) {
      return fail('ROSTER_SAVE_FAILED', `The roster already holds ${MAX_PARTICIPANTS} athletes, the most it can; remove one before adding another.`);
    }
    const applied = this.apply(upsertParticipant(this.roster, parsed.data));
    return applied.ok ? ok(parsed.data) : applied;
  }

  /** Remove a participant (their sensors become unassigned). */
  remove(participantId: string): Result<null> {
    if (!this.participant(participantId)) return unknownParticipant(participantId);
    return this.apply(removeParticipant(this.roster, participantId));
  }

  /** Assign a sensor to a participant (handing a strap to another athlete = reassigning it). */
  assign(deviceId: DeviceId, participantId: string, position?: number): Result<null> {
    const next = assignDevice(this.roster, deviceId, participantId, position);
    if (!next) return unknownParticipant(participantId);
    return this.apply(next);
  }

  /** Remove a sensor from its participant. */
  unassign(deviceId: DeviceId): Result<null> {
    if (!this.owner.has(deviceId)) return fail('ROSTER_UNKNOWN_DEVICE', `Sensor "${deviceId}" is not assigned to anyone.`);
    return this.apply(unassignDevice(this.roster, deviceId));
  }

  /** Stop announcing a sensor. */
  ignore(deviceId: DeviceId): void {
    if (this.isIgnored(deviceId)) return;
    this.apply({ ...this.roster, ignoredDeviceIds: [...this.roster.ignoredDeviceIds, deviceId] });
  }

  /** Announce a sensor again. */
  unignore(deviceId: DeviceId): void {
    this.apply({ ...this.roster, ignoredDeviceIds: this.roster.ignoredDeviceIds.filter((d) => d !== deviceId) });
  }

  /** Import participants from CSV: all or nothing, linear in the rows, within the file's limit. */
  importCsv(csv: string, mode: 'merge' | 'replace'): Result<{ imported: number }> {
    const parsed = rosterFromCsv(csv);
    if (!parsed.ok) {
      return fail('ROSTER_BAD_CSV', `Roster CSV not imported (nothing was changed): ${parsed.errors.join(' | ')}`);
    }
    const next = mergeParticipants(mode === 'replace' ? { ...this.roster, participants: [] } : this.roster, parsed.participants);
    if (next.participants.length > MAX_PARTICIPANTS) {
      return fail(
        'ROSTER_BAD_CSV',
        `Roster CSV not imported (nothing was changed): merging would make ${next.participants.length} athletes, and a roster holds at most ${MAX_PARTICIPANTS}. Import with "replace", or remove athletes first.`,
      );
    }
    const applied = this.apply(next);
    return applied.ok ? ok({ imported: parsed.participants.length }) : applied;
  }

  /** The roster as CSV. */
  exportCsv(): string {
    return rosterToCsv(this.roster.participants);
  }

  /** Apply a new roster; refused (nothing changes) unless it is one the roster file will load again. */
  apply(next: Roster): Result<null> {
    const valid = rosterSchema.safeParse(next);
    if (!valid.success) {
      const message = `The roster was not changed: ${describeZodError(valid.error)}.`;
      this.options.notice('error', message, 'ROSTER_SAVE_FAILED');
      return fail('ROSTER_SAVE_FAILED', message);
    }
    this.roster = next;
    this.reindex();
    const saved = saveRoster(this.options.dataDir, next);
    if (!saved.ok) this.options.notice('error', saved.message, saved.code);
    for (const fn of this.changeListeners) fn();
    return ok(null);
  }

  private reindex(): void {
    this.owner.clear();
    for (const p of this.roster.participants) for (const d of p.deviceIds) this.owner.set(d, p);
  }
}

/** The error of an unknown participant id. */
export function unknownParticipant<T>(id: string): Result<T> {
  return fail('ROSTER_UNKNOWN_PARTICIPANT', `No participant "${id}" in the roster.`);
}
