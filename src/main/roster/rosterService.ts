/**
 * Gym mode on the host: the roster (persisted in the data directory), sensor assignment, tap to
 * claim, announcements of new unassigned sensors, per-athlete routing of readings through the
 * source selection with fallback, and classes with their summary.
 */
import { makePrivateDir } from '../../broker/privateFiles';
import { join } from 'node:path';
import type { EventName, EventPayload } from '../../shared/contract';
import type { DeviceId } from '../../shared/device';
import { fail, ok, type Result } from '../../shared/errors';
import type { MetricId } from '../../shared/metrics';
import { nowMs, type Sample } from '../../shared/sample';
import { rosterFromCsv, rosterToCsv } from '../../shared/roster/csv';
import {
  assignDevice,
  mergeParticipants,
  MAX_PARTICIPANTS,
  rosterSchema,
  newParticipantId,
  participantSchema,
  PARTICIPANT_COLOURS,
  removeParticipant,
  unassignDevice,
  upsertParticipant,
  type Participant,
  type ParticipantPatch,
  type Roster,
} from '../../shared/roster/participant';
import { selectSource, type ActiveSource } from '../../shared/roster/selectSource';
import { summaryToCsv, type ClassSummary } from '../../shared/roster/summary';
import { describeZodError } from '../../shared/contract/wire';
import type { DeviceRegistry } from '../devices';
import { Claim, DEFAULT_CLAIM, type ClaimOptions, type ClaimState } from './claim';
import { ClassSession } from './classSession';
import { loadRoster, saveRoster, writeFileAtomic } from './rosterFile';

type RosterEventName = Extract<EventName, 'roster' | 'rosterDeviceFound' | 'rosterClaim'>;

/** What the roster service needs from the host. */
export interface RosterServiceOptions {
  readonly dataDir: string;
  readonly devices: DeviceRegistry;
  /** Last fresh value of a device metric (the hub's), for tap-to-claim baselines. */
  readonly lastValue: (deviceId: DeviceId, metric: MetricId) => number | null;
  readonly notice: (level: 'info' | 'warning' | 'error', message: string, code?: string) => void;
  readonly emit: <K extends RosterEventName>(name: K, payload: EventPayload<K>) => void;
  readonly now?: () => number;
}

/** Metrics that never announce a device or route on their own (housekeeping). */
const HOUSEKEEPING: ReadonlySet<MetricId> = new Set(['battery', 'rssi', 'contact']);

/** The roster service. */
export class RosterService {
  private roster: Roster;
  private readonly owner = new Map<DeviceId, Participant>();
  private readonly seen = new Map<DeviceId, Map<MetricId, number>>();
  private readonly announced = new Set<DeviceId>();
  private readonly changeListeners = new Set<() => void>();
  private claim: Claim | null = null;
  private session: ClassSession | null = null;
  private last: ClassSummary | null = null;
  private timer: ReturnType<typeof setInterval> | null = null;
  private isViewQueued = false;
  private lastUnassignedKey = '';
  private readonly now: () => number;
  private readonly lastSeenFn = (d: DeviceId, m: MetricId): number | null => this.seen.get(d)?.get(m) ?? null;

  constructor(private readonly options: RosterServiceOptions) {
    this.now = options.now ?? nowMs;
    makePrivateDir(options.dataDir);
    const loaded = loadRoster(options.dataDir);
    if (loaded.ok) this.roster = loaded.value;
    else {
      this.roster = { version: 1, participants: [], ignoredDeviceIds: [] };
      options.notice('error', loaded.message, loaded.code);
    }
    this.reindex();
    options.devices.onChange(() => this.checkUnassigned());
  }

  /** Start the claim-timeout timer. */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.tick(), 250);
    this.timer.unref?.();
  }

  /** Stop the timer. */
  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Every participant (for the uplink manager: `terraUserId`, `tokenRef`). */
  participants(): readonly Participant[] {
    return this.roster.participants;
  }

  /** One participant. */
  participant(id: string): Participant | undefined {
    return this.roster.participants.find((p) => p.id === id);
  }

  /** Called after every roster change (participants, assignments). */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => this.changeListeners.delete(fn);
  }

  /** The participant a device is assigned to (any metric). */
  ownerOf(deviceId: DeviceId): Participant | null {
    return this.owner.get(deviceId) ?? null;
  }

  /**
   * The participant whose data this device's `metric` is right now: the device must be assigned
   * and be the active source of the metric (preferred, or the backup while the preferred is stale).
   */
  participantFor(deviceId: DeviceId, metric: MetricId, atMs: number = this.now()): Participant | null {
    const p = this.owner.get(deviceId);
    if (!p) return null;
    const active = selectSource(p.deviceIds, metric, this.lastSeenFn, atMs);
    return active?.deviceId === deviceId ? p : null;
  }

  /** Route one sample (notes it first, so order against other hub subscribers does not matter). */
  routeSample(sample: Sample): Participant | null {
    this.note(sample);
    return this.participantFor(sample.deviceId, sample.metric, sample.tMs);
  }

  /** The active source of a participant's metric. */
  activeSource(participantId: string, metric: MetricId, atMs: number = this.now()): ActiveSource | null {
    const p = this.participant(participantId);
    return p ? selectSource(p.deviceIds, metric, this.lastSeenFn, atMs) : null;
  }

  /** Feed a batch from the hub: freshness, announcements, claims, class totals. */
  onSamples(batch: readonly Sample[]): void {
    let found: DeviceId[] | null = null;
    for (const s of batch) {
      this.note(s);
      if (HOUSEKEEPING.has(s.metric)) continue;
      const owner = this.owner.get(s.deviceId);
      if (s.metric === 'heartRate' && this.claim?.offer(s.deviceId, s.tMs, s.value)) {
        this.finishClaim('assigned', s.deviceId);
        continue;
      }
      if (!owner) {
        if (!this.announced.has(s.deviceId) && !this.roster.ignoredDeviceIds.includes(s.deviceId)) {
          this.announced.add(s.deviceId);
          (found ??= []).push(s.deviceId);
        }
        continue;
      }
      if (this.session && s.metric === 'heartRate' && this.participantFor(s.deviceId, 'heartRate', s.tMs) === owner) {
        this.session.addHr(owner, s.tMs, s.value);
      }
    }
    if (found) this.announce(found);
  }

  /** The roster as the UI shows it. */
  view(): EventPayload<'roster'> {
    return {
      participants: this.roster.participants,
      ignoredDeviceIds: this.roster.ignoredDeviceIds,
      claim: this.claim?.state ?? null,
      classState: this.session ? { startedAtMs: this.session.startedAtMs } : null,
      unassignedDeviceIds: this.unassigned(),
    };
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
    const committed = this.commit(upsertParticipant(this.roster, parsed.data));
    if (!committed.ok) return committed;
    return ok(parsed.data);
  }

  /** Remove a participant (their sensors become unassigned). */
  remove(participantId: string): Result<null> {
    if (!this.participant(participantId)) return unknownParticipant(participantId);
    if (this.claim?.state.participantId === participantId) this.finishClaim('cancelled', null);
    this.commit(removeParticipant(this.roster, participantId));
    return ok(null);
  }

  /** Assign a sensor to a participant (handing a strap to another athlete = reassigning it). */
  assign(deviceId: DeviceId, participantId: string, position?: number): Result<null> {
    const next = assignDevice(this.roster, deviceId, participantId, position);
    if (!next) return unknownParticipant(participantId);
    this.commit(next);
    return ok(null);
  }

  /** Remove a sensor from its participant. */
  unassign(deviceId: DeviceId): Result<null> {
    if (!this.owner.has(deviceId)) return fail('ROSTER_UNKNOWN_DEVICE', `Sensor "${deviceId}" is not assigned to anyone.`);
    this.commit(unassignDevice(this.roster, deviceId));
    return ok(null);
  }

  /** Stop announcing a sensor. */
  ignore(deviceId: DeviceId): void {
    if (this.roster.ignoredDeviceIds.includes(deviceId)) return;
    this.commit({ ...this.roster, ignoredDeviceIds: [...this.roster.ignoredDeviceIds, deviceId] });
  }

  /** Announce a sensor again. */
  unignore(deviceId: DeviceId): void {
    this.announced.delete(deviceId);
    this.commit({ ...this.roster, ignoredDeviceIds: this.roster.ignoredDeviceIds.filter((d) => d !== deviceId) });
  }

  /** Start tap-to-claim for a participant (replaces a claim in progress). */
  claimStart(participantId: string, options: Partial<ClaimOptions> = {}): Result<ClaimState> {
    if (!this.participant(participantId)) return unknownParticipant(participantId);
    if (this.claim) this.finishClaim('cancelled', null);
    const baselines = new Map<DeviceId, number>();
    for (const d of this.options.devices.list()) {
      const v = this.options.lastValue(d.id, 'heartRate');
      if (v !== null) baselines.set(d.id, v);
    }
    this.claim = new Claim(participantId, { ...DEFAULT_CLAIM, ...stripUndefined(options) }, this.now(), baselines);
    this.queueView();
    return ok(this.claim.state);
  }

  /** Cancel a claim in progress. */
  claimCancel(): void {
    if (this.claim) this.finishClaim('cancelled', null);
  }

  /** Import participants from CSV: all or nothing. */
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
    const committed = this.commit(next);
    if (!committed.ok) return committed;
    return ok({ imported: parsed.participants.length });
  }

  /** The roster as CSV. */
  exportCsv(): string {
    return rosterToCsv(this.roster.participants);
  }

  /** Start a class (summaries count from now). */
  startClass(): Result<{ startedAtMs: number }> {
    if (this.session) return fail('ROSTER_CLASS_RUNNING', 'A class is already running; end it first.');
    this.session = new ClassSession(this.now());
    this.queueView();
    return ok({ startedAtMs: this.session.startedAtMs });
  }

  /** End the class: the summary is kept, saved in the data directory, and returned. */
  endClass(): Result<ClassSummary> {
    if (!this.session) return fail('ROSTER_NO_CLASS', 'No class is running; start one first.');
    const summary = this.session.summary(this.roster.participants, this.now());
    this.session = null;
    this.last = summary;
    this.queueView();
    try {
      const dir = join(this.options.dataDir, 'classes');
      makePrivateDir(dir);
      writeFileAtomic(join(dir, `${summaryFileStem(summary)}.json`), JSON.stringify(summary, null, 2));
    } catch (err) {
      this.options.notice('error', `The class summary could not be saved: ${(err as Error).message}`, 'ROSTER_SAVE_FAILED');
    }
    return ok(summary);
  }

  /** The last class summary. */
  lastSummary(): ClassSummary | null {
    return this.last;
  }

  /** The last class summary as CSV. */
  summaryCsv(): Result<{ csv: string; fileName: string }> {
    if (!this.last) return fail('ROSTER_NO_CLASS', 'No class has ended yet, so there is no summary to export.');
    return ok({ csv: summaryToCsv(this.last), fileName: `${summaryFileStem(this.last)}.csv` });
  }

  /** Check the claim timeout (timer; callable from tests). */
  tick(at: number = this.now()): void {
    if (this.claim?.isExpired(at)) this.finishClaim('timeout', null);
  }

  private note(s: Sample): void {
    let m = this.seen.get(s.deviceId);
    if (!m) {
      m = new Map();
      this.seen.set(s.deviceId, m);
    }
    const prev = m.get(s.metric);
    if (prev === undefined || s.tMs > prev) m.set(s.metric, s.tMs);
  }

  private finishClaim(outcome: 'assigned' | 'timeout' | 'cancelled', deviceId: DeviceId | null): void {
    const claim = this.claim;
    if (!claim) return;
    this.claim = null;
    const p = this.participant(claim.state.participantId);
    if (outcome === 'assigned' && deviceId && p) {
      const from = this.owner.get(deviceId);
      this.commit(assignDevice(this.roster, deviceId, p.id, 0)!);
      const name = this.options.devices.get(deviceId)?.name ?? deviceId;
      const moved = from && from.id !== p.id ? ` (moved from ${from.name})` : '';
      this.options.notice('info', `${name} is now ${p.name}'s strap${moved}.`);
    } else if (outcome === 'timeout') {
      this.options.notice('warning', `No strap claimed for ${p?.name ?? claim.state.participantId}: no heart rate rose by ${claim.state.riseBpm} bpm in time. Try again and ask the athlete to move.`);
    }
    this.options.emit('rosterClaim', { participantId: claim.state.participantId, outcome, deviceId });
    this.queueView();
  }

  private announce(deviceIds: DeviceId[]): void {
    const names = deviceIds.map((d) => this.options.devices.get(d)?.name ?? d);
    for (let i = 0; i < deviceIds.length; i++) this.options.emit('rosterDeviceFound', { deviceId: deviceIds[i]!, name: names[i]! });
    const what = names.length === 1 ? `New sensor in range: ${names[0]}` : `${names.length} new sensors in range: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
    this.options.notice('info', `${what}. Assign or ignore in Roster.`);
    this.checkUnassigned();
  }

  private unassigned(): DeviceId[] {
    const ignored = new Set(this.roster.ignoredDeviceIds);
    return this.options.devices
      .list()
      .filter((d) => !this.owner.has(d.id) && !ignored.has(d.id) && d.status !== 'disconnected')
      .map((d) => d.id);
  }

  private checkUnassigned(): void {
    const key = this.unassigned().join('\n');
    if (key === this.lastUnassignedKey) return;
    this.lastUnassignedKey = key;
    this.queueView();
  }

  /** Apply a new roster; refused (nothing changes) unless it is one the roster file will load again. */
  private commit(next: Roster): Result<null> {
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
    this.queueView();
    return ok(null);
  }

  private reindex(): void {
    this.owner.clear();
    for (const p of this.roster.participants) for (const d of p.deviceIds) this.owner.set(d, p);
  }

  private queueView(): void {
    if (this.isViewQueued) return;
    this.isViewQueued = true;
    queueMicrotask(() => {
      this.isViewQueued = false;
      this.lastUnassignedKey = this.unassigned().join('\n');
      this.options.emit('roster', this.view());
    });
  }
}

function unknownParticipant<T>(id: string): Result<T> {
  return fail('ROSTER_UNKNOWN_PARTICIPANT', `No participant "${id}" in the roster.`);
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function summaryFileStem(s: ClassSummary): string {
  return `class-${new Date(s.startedAtMs).toISOString().replace(/[:.]/g, '-')}`;
}
