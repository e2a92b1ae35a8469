/**
 * Gym mode on the host, live part: freshness of every sensor, per-athlete routing of readings
 * through the source selection with fallback, tap to claim, announcements of new unassigned
 * sensors, and the roster view pushed to UIs. The roster itself (participants, assignments, CSV,
 * persistence) is {@link RosterBook}; classes and their summary are {@link ClassRunner}; tap to claim
 * is {@link ClaimFlow}; this service composes them and keeps the one API the host, the handlers and
 * the uplinks use.
 */
import { makePrivateDir } from '../../broker/privateFiles';
import type { EventName, EventPayload } from '../../shared/contract';
import type { DeviceId } from '../../shared/device';
import type { Result } from '../../shared/errors';
import type { MetricId } from '../../shared/metrics';
import { nowMs, type Sample } from '../../shared/sample';
import type { Participant, ParticipantPatch } from '../../shared/roster/participant';
import { selectSource, type ActiveSource } from '../../shared/roster/selectSource';
import type { ClassSummary } from '../../shared/roster/summary';
import type { DeviceRegistry } from '../devices';
import type { ClaimOptions, ClaimState } from './claim';
import { ClaimFlow } from './claimFlow';
import { ClassRunner } from './classRunner';
import { RosterBook } from './rosterBook';

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
  private readonly book: RosterBook;
  private readonly classes: ClassRunner;
  private readonly seen = new Map<DeviceId, Map<MetricId, number>>();
  private readonly announced = new Set<DeviceId>();
  private readonly claims: ClaimFlow;
  private timer: ReturnType<typeof setInterval> | null = null;
  private isViewQueued = false;
  private lastUnassignedKey = '';
  private readonly now: () => number;
  private readonly lastSeenFn = (d: DeviceId, m: MetricId): number | null => this.seen.get(d)?.get(m) ?? null;

  constructor(private readonly options: RosterServiceOptions) {
    this.now = options.now ?? nowMs;
    makePrivateDir(options.dataDir);
    this.book = new RosterBook({ dataDir: options.dataDir, notice: options.notice });
    this.book.onChange(() => this.queueView());
    this.classes = new ClassRunner({ dataDir: options.dataDir, now: this.now, notice: options.notice });
    this.claims = new ClaimFlow({
      book: this.book,
      devices: options.devices,
      lastValue: options.lastValue,
      notice: options.notice,
      emitClaim: (payload) => options.emit('rosterClaim', payload),
      changed: () => this.queueView(),
      now: this.now,
    });
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
    return this.book.participants();
  }

  /** One participant. */
  participant(id: string): Participant | undefined {
    return this.book.participant(id);
  }

  /** Called after every roster change (participants, assignments). */
  onChange(fn: () => void): () => void {
    return this.book.onChange(fn);
  }

  /** The participant a device is assigned to (any metric). */
  ownerOf(deviceId: DeviceId): Participant | null {
    return this.book.ownerOf(deviceId);
  }

  /**
   * The participant whose data this device's `metric` is right now: the device must be assigned
   * and be the active source of the metric (preferred, or the backup while the preferred is stale).
   */
  participantFor(deviceId: DeviceId, metric: MetricId, atMs: number = this.now()): Participant | null {
    const p = this.book.ownerOf(deviceId);
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
    const isClassRunning = this.classes.startedAtMs !== null;
    for (const s of batch) {
      this.note(s);
      if (HOUSEKEEPING.has(s.metric)) continue;
      const owner = this.book.ownerOf(s.deviceId);
      if (this.claims.offer(s)) continue;
      if (!owner) {
        if (!this.announced.has(s.deviceId) && !this.book.isIgnored(s.deviceId)) {
          this.announced.add(s.deviceId);
          (found ??= []).push(s.deviceId);
        }
        continue;
      }
      if (isClassRunning && s.metric === 'heartRate' && this.participantFor(s.deviceId, 'heartRate', s.tMs) === owner) {
        this.classes.addHr(owner, s.tMs, s.value);
      }
    }
    if (found) this.announce(found);
  }

  /** The roster as the UI shows it. */
  view(): EventPayload<'roster'> {
    const roster = this.book.current;
    const startedAtMs = this.classes.startedAtMs;
    return {
      participants: roster.participants,
      ignoredDeviceIds: roster.ignoredDeviceIds,
      claim: this.claims.state,
      classState: startedAtMs === null ? null : { startedAtMs },
      unassignedDeviceIds: this.unassigned(),
    };
  }

  /** Add a participant (no id, or an unknown id) or change the given fields of one; a new one gets an id and a colour. */
  upsert(patch: ParticipantPatch): Result<Participant> {
    return this.book.upsert(patch);
  }

  /** Remove a participant (their sensors become unassigned). */
  remove(participantId: string): Result<null> {
    if (this.book.participant(participantId)) this.claims.cancel(participantId);
    return this.book.remove(participantId);
  }

  /** Assign a sensor to a participant (handing a strap to another athlete = reassigning it). */
  assign(deviceId: DeviceId, participantId: string, position?: number): Result<null> {
    return this.book.assign(deviceId, participantId, position);
  }

  /** Remove a sensor from its participant. */
  unassign(deviceId: DeviceId): Result<null> {
    return this.book.unassign(deviceId);
  }

  /** Stop announcing a sensor. */
  ignore(deviceId: DeviceId): void {
    this.book.ignore(deviceId);
  }

  /** Announce a sensor again. */
  unignore(deviceId: DeviceId): void {
    this.announced.delete(deviceId);
    this.book.unignore(deviceId);
  }

  /** Start tap-to-claim for a participant (replaces a claim in progress). */
  claimStart(participantId: string, options: Partial<ClaimOptions> = {}): Result<ClaimState> {
    return this.claims.start(participantId, options);
  }

  /** Cancel a claim in progress. */
  claimCancel(): void {
    this.claims.cancel();
  }

  /** Import participants from CSV: all or nothing. */
  importCsv(csv: string, mode: 'merge' | 'replace'): Result<{ imported: number }> {
    return this.book.importCsv(csv, mode);
  }

  /** The roster as CSV. */
  exportCsv(): string {
    return this.book.exportCsv();
  }

  /** Start a class (summaries count from now). */
  startClass(): Result<{ startedAtMs: number }> {
    const r = this.classes.start();
    this.queueView();
    return r;
  }

  /** End the class: the summary is kept, saved in the data directory, and returned. */
  endClass(): Result<ClassSummary> {
    const r = this.classes.end(this.book.participants());
    this.queueView();
    return r;
  }

  /** The last class summary. */
  lastSummary(): ClassSummary | null {
    return this.classes.lastSummary();
  }

  /** The last class summary as CSV. */
  summaryCsv(): Result<{ csv: string; fileName: string }> {
    return this.classes.summaryCsv();
  }

  /** Check the claim timeout (timer; callable from tests). */
  tick(at: number = this.now()): void {
    this.claims.tick(at);
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

  private announce(deviceIds: DeviceId[]): void {
    const names = deviceIds.map((d) => this.options.devices.get(d)?.name ?? d);
    for (let i = 0; i < deviceIds.length; i++) this.options.emit('rosterDeviceFound', { deviceId: deviceIds[i]!, name: names[i]! });
    const what = names.length === 1 ? `New sensor in range: ${names[0]}` : `${names.length} new sensors in range: ${names.slice(0, 5).join(', ')}${names.length > 5 ? ', …' : ''}`;
    this.options.notice('info', `${what}. Assign or ignore in Roster.`);
    this.checkUnassigned();
  }

  private unassigned(): DeviceId[] {
    const ignored = new Set(this.book.current.ignoredDeviceIds);
    return this.options.devices
      .list()
      .filter((d) => this.book.ownerOf(d.id) === null && !ignored.has(d.id) && d.status !== 'disconnected')
      .map((d) => d.id);
  }

  private checkUnassigned(): void {
    const key = this.unassigned().join('\n');
    if (key === this.lastUnassignedKey) return;
    this.lastUnassignedKey = key;
    this.queueView();
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
