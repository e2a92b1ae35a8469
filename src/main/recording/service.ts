/**
 * The recording service of the host: subscribes to the sample hub and the device link events,
 * and while a session is open appends every sample, connection event, marker, clock offset and
 * raw transport message to crash-safe files. It also owns the required-sensor checklist,
 * auto-start, crash recovery at start, the sessions list and exports.
 */
import { existsSync, readdirSync } from 'node:fs';
import { makePrivateDir, storageErrorReason } from '../../broker/privateFiles';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors';
import { summarize, type SessionManifest, type SessionMarker, type SessionSummary } from '../../shared/recording/manifest';
import { linkEventName } from '../../shared/recording/records';
import { nowMs, type Sample } from '../../shared/sample';
import type { AppendWriterOptions } from './appendWriter';
import { exportSession, type ExportFormat, type ExportResult } from './export/exportSession';
import { findUnfinished, finishSession, readManifestIn, recoverSession } from './recovery';
import { SessionRecorder, type RawMessage, type SessionSpec } from './sessionRecorder';

/** Anything that releases sample batches in time order (the hub's time-ordered stream). */
export interface SampleSource {
  subscribe(fn: (batch: readonly Sample[]) => void): () => void;
  /** Release every reading still held for ordering (called before a session closes, so it keeps its last readings). */
  drain?(): void;
}

/** A device link status change (the device registry's `LinkEvent`). */
export interface LinkEventLike {
  readonly deviceId: string;
  readonly status: string;
  readonly previous: string | null;
  readonly reason: string;
  readonly tMs: number;
}

/** Where link events and the live device list come from (the device registry). */
export interface DeviceSource {
  onLinkEvent(fn: (event: LinkEventLike) => void): () => void;
  list(): readonly { readonly id: string; readonly status: string }[];
}

/** Devices whose sending process is remembered (oldest forgotten first). */
const MAX_SENDERS = 1000;

/** Service options. */
export interface RecordingServiceOptions {
  /** The host's data directory; sessions live in `<dataDir>/sessions`. */
  readonly dataDir: string;
  readonly hub: SampleSource;
  readonly devices?: DeviceSource;
  readonly now?: () => number;
  readonly writer?: AppendWriterOptions;
  /** Interval between the recording's clock pairs (`sync` records); default 10 s. */
  readonly syncEveryMs?: number;
  /** The monotonic clock (ns) paired with `now`; default `process.hrtime.bigint` (tests inject one in step with their clock). */
  readonly hrtimeNs?: () => bigint;
  readonly app?: { version?: string; mode?: string };
  /** Called whenever the status changes (start, stop, marker, auto-start) — the host pushes it to UIs. */
  readonly onStatus?: (status: RecordingStatus) => void;
  /** A problem the user must see (a write failed: disk full, folder removed); at most every 10 s. */
  readonly onProblem?: (message: string) => void;
}

/** What `start` takes. */
export interface StartOptions extends Omit<SessionSpec, 'missingAtStart' | 'app'> {
  /** Start even if required devices are missing (the UI asks first). */
  readonly isStartAnyway?: boolean;
}

/** The required-sensor checklist. */
export interface Checklist {
  readonly required: readonly string[];
  readonly missing: readonly string[];
  readonly isReady: boolean;
}

/** Status of the recorder, as the UI shows it. */
export interface RecordingStatus {
  readonly isRecording: boolean;
  readonly sessionId: string | null;
  readonly startMs: number | null;
  readonly elapsedMs: number;
  readonly sizeBytes: number;
  readonly sampleCount: number;
  readonly markers: readonly SessionMarker[];
  /** Sessions recovered after a crash when this service started. */
  readonly recoveredSessionIds: readonly string[];
  /** Auto-start armed: waiting for these devices to be live. */
  readonly autoStartWaitingFor: readonly string[] | null;
  /** The last session that ended early because a write failed (disk full), until the next start. */
  readonly interruption?: RecordingInterruption | null;
}

/** A session that ended early because the disk could not take more data. */
export interface RecordingInterruption {
  readonly sessionId: string;
  /** "disk full", "disk I/O error", "disk read-only". */
  readonly reason: string;
  readonly atMs: number;
  /** Samples and other records that reached the recorder but are not on disk. */
  readonly droppedRecords: number;
}

/** The recording service. */
export class RecordingService {
  readonly sessionsDir: string;
  private readonly now: () => number;
  private session: SessionRecorder | null = null;
  private readonly unsubscribers: (() => void)[] = [];
  private readonly recovered: string[] = [];
  private autoStart: StartOptions | null = null;
  private hasRecovered = false;
  private readonly senders = new Map<string, string>();
  private statusTimer: ReturnType<typeof setInterval> | null = null;
  private folderOpener: ((dir: string) => Promise<string>) | null = null;
  private interruption: RecordingInterruption | null = null;
  /** The manifest of an interrupted session, once rebuilt from disk (what `stop` then returns). */
  private interruptedManifest: Promise<Result<SessionManifest>> | null = null;

  constructor(private readonly options: RecordingServiceOptions) {
    this.sessionsDir = join(options.dataDir, 'sessions');
    this.now = options.now ?? nowMs;
    this.unsubscribers.push(options.hub.subscribe((batch) => this.onBatch(batch)));
    if (options.devices) this.unsubscribers.push(options.devices.onLinkEvent((e) => this.onLink(e)));
  }

  /** Recover every unfinished session (manifest still `recording`); safe to call repeatedly. */
  async recoverUnfinished(): Promise<SessionManifest[]> {
    const out: SessionManifest[] = [];
    for (const dir of findUnfinished(this.sessionsDir, this.session?.dir)) {
      const r = await recoverSession(dir);
      if (r.ok) {
        out.push(r.value);
        this.recovered.push(dir.slice(this.sessionsDir.length + 1));
      }
    }
    this.hasRecovered = true;
    if (out.length > 0) this.emitStatus();
    return out;
  }

  /** The checklist of required devices against the live device list. */
  checklist(required: readonly string[]): Checklist {
    const live = new Set((this.options.devices?.list() ?? []).filter((d) => d.status === 'live').map((d) => d.id));
    const missing = required.filter((id) => !live.has(id));
    return { required: [...required], missing, isReady: missing.length === 0 };
  }

  /** Start a session; recovers unfinished sessions first. Fails when already recording or sensors are missing. */
  async start(options: StartOptions): Promise<Result<RecordingStatus>> {
    if (this.session) return fail('REC_ALREADY_RECORDING', `Already recording session ${this.session.id}; stop it first.`);
    if (!this.hasRecovered) await this.recoverUnfinished();
    const opened = this.session as SessionRecorder | null; // another start may have won while recovering
    if (opened) return fail('REC_ALREADY_RECORDING', `Already recording session ${opened.id}; stop it first.`);
    const required = options.requiredDeviceIds ?? [];
    const { missing } = this.checklist(required);
    if (missing.length > 0 && !options.isStartAnyway) {
      return fail(
        'REC_MISSING_SENSORS',
        `Required sensors not live: ${missing.join(', ')}. Connect them, or start anyway to record without them.`,
      );
    }
    try {
      makePrivateDir(this.sessionsDir);
      this.session = new SessionRecorder(
        this.sessionsDir,
        { ...options, requiredDeviceIds: required, missingAtStart: missing, app: this.options.app },
        this.now(),
        { ...this.options.writer, onError: (err) => this.onWriteError(err) },
        { now: this.now, hrtimeNs: this.options.hrtimeNs ?? ((): bigint => process.hrtime.bigint()), syncEveryMs: this.options.syncEveryMs },
      );
    } catch (err) {
      return fail('REC_IO_FAILED', `Could not start a recording in ${this.sessionsDir} (${storageErrorReason(err)}). Free disk space or choose another data folder, then try again.`);
    }
    this.interruption = null;
    this.interruptedManifest = null;
    const opened2 = this.session;
    opened2.onInterrupted = (reason) => this.onInterrupted(opened2, reason);
    const t = this.now();
    for (const [deviceId, client] of this.senders) this.session.source(t, deviceId, client);
    for (const d of this.options.devices?.list() ?? []) {
      const event = linkEventName(d.status, null, 'at start');
      if (event) this.session.link(t, d.id, event, 'state at start');
    }
    this.autoStart = null;
    if (this.options.onStatus) {
      this.statusTimer = setInterval(() => this.emitStatus(), 1000);
      this.statusTimer.unref?.();
    }
    const status = this.status();
    this.emitStatus();
    return ok(status);
  }

  /** Arm auto-start: the session starts as soon as every required device is live (now, if they are). */
  async armAutoStart(options: StartOptions): Promise<Result<RecordingStatus>> {
    if (this.session) return fail('REC_ALREADY_RECORDING', `Already recording session ${this.session.id}.`);
    this.autoStart = { ...options, isStartAnyway: false };
    await this.tryAutoStart();
    this.emitStatus();
    return ok(this.status());
  }

  /** Disarm auto-start. */
  disarmAutoStart(): void {
    this.autoStart = null;
    this.emitStatus();
  }

  /** Stop the open session: end record, files closed, manifest `complete`. */
  stop(): Result<SessionManifest> {
    if (!this.session) {
      if (this.interruption) {
        const i = this.interruption;
        return fail('REC_IO_FAILED', `The recording ${i.sessionId} had already stopped: the ${i.reason === 'disk full' ? 'disk is full' : i.reason}. Everything recorded before that is saved.`);
      }
      return fail('REC_NOT_RECORDING', 'Not recording.');
    }
    this.options.hub.drain?.(); // the readings of the last reorder window belong to this session
    let manifest: SessionManifest;
    const s = this.session;
    try {
      manifest = s.stop(this.now());
    } catch (err) {
      // a failure while closing is an interruption too: the files hold whole lines, the manifest is rebuilt
      this.onInterrupted(s, storageErrorReason(err));
      return fail('REC_IO_FAILED', `The recording ${s.id} was stopped, but its files could not be finished (${storageErrorReason(err)}); everything written before is kept.`);
    }
    this.session = null;
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    this.emitStatus();
    return ok(manifest);
  }

  /** Add a labelled marker to the open session. */
  marker(label: string, source = 'contract'): Result<SessionMarker> {
    if (!this.session) return fail('REC_NOT_RECORDING', 'Start a recording before adding markers.');
    const m = this.session.marker(this.now(), label, source);
    this.emitStatus();
    return ok(m);
  }

  /** Log one raw transport message (called by the BLE and ANT+ sources for every notification/message). */
  /** Whether a session is being recorded now (cheap; sources check it before building raw records). */
  get isActive(): boolean {
    return this.session !== null && this.session !== undefined;
  }

  recordRaw(message: RawMessage): void {
    this.session?.rawMessage(message);
  }

  /**
   * Note which UI process sends a device's samples (their `t` is on that process's clock); the
   * open session records it when it is new or changed. Called when a UI reports a device.
   */
  noteSender(deviceId: string, clientId: string): void {
    if (this.senders.get(deviceId) === clientId) return;
    this.senders.delete(deviceId); // re-insert last: the map stays bounded by the live devices' order of use
    this.senders.set(deviceId, clientId);
    if (this.senders.size > MAX_SENDERS) this.senders.delete(this.senders.keys().next().value!);
    this.session?.source(this.now(), deviceId, clientId);
  }

  /** Log the measured clock offset of a UI process (called after each ping exchange). */
  recordClockOffset(m: { clientId: string; offsetMs: number; rttMs: number; tMs: number }): void {
    this.session?.clock(m.tMs, m.clientId, m.offsetMs, m.rttMs);
  }

  /** Current status. */
  status(): RecordingStatus {
    const s = this.session;
    return {
      isRecording: s !== null,
      sessionId: s?.id ?? null,
      startMs: s?.header.startMs ?? null,
      elapsedMs: s ? this.now() - s.header.startMs : 0,
      sizeBytes: s?.sizeBytes ?? 0,
      sampleCount: s?.sampleCount ?? 0,
      markers: s ? [...s.markers] : [],
      recoveredSessionIds: [...this.recovered],
      autoStartWaitingFor: this.autoStart ? this.checklist(this.autoStart.requiredDeviceIds ?? []).missing : null,
      interruption: this.interruption,
    };
  }

  /** The rebuilt manifest of the last interrupted session (null when none). */
  lastInterruptedManifest(): Promise<Result<SessionManifest>> | null {
    return this.interruptedManifest;
  }

  /** Recorded sessions, newest first. */
  list(): SessionSummary[] {
    if (!existsSync(this.sessionsDir)) return [];
    const out: SessionSummary[] = [];
    for (const entry of readdirSync(this.sessionsDir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const m = readManifestIn(join(this.sessionsDir, entry.name));
      if (!m.ok) continue;
      const live = this.session?.id === entry.name ? this.session : null;
      const summary = summarize(entry.name, m.value);
      out.push(live ? { ...summary, sizeBytes: live.sizeBytes, durationMs: this.now() - live.header.startMs } : summary);
    }
    return out.sort((a, b) => b.startIso.localeCompare(a.startIso));
  }

  /** Folder of a session id, or an error when unknown. */
  sessionDir(sessionId: string): Result<string> {
    if (!/^[A-Za-z0-9_-]+$/.test(sessionId)) return fail('REC_UNKNOWN_SESSION', `"${sessionId}" is not a session id.`);
    const dir = join(this.sessionsDir, sessionId);
    if (!existsSync(dir)) return fail('REC_UNKNOWN_SESSION', `No session "${sessionId}" in ${this.sessionsDir}.`);
    return ok(dir);
  }

  /** A session's folder and manifest for reading; the open session's buffered records are written first. */
  sessionForReading(sessionId: string): Result<{ dir: string; manifest: SessionManifest; isLive: boolean }> {
    const dir = this.sessionDir(sessionId);
    if (!dir.ok) return dir;
    const manifest = readManifestIn(dir.value);
    if (!manifest.ok) return manifest;
    const isLive = this.session?.id === sessionId;
    if (isLive) this.session?.flush();
    return ok({ dir: dir.value, manifest: manifest.value, isLive });
  }

  /** The desktop app's "show in the file manager" (Electron `shell.openPath`); none in web and headless mode. */
  setFolderOpener(open: ((dir: string) => Promise<string>) | null): void {
    this.folderOpener = open;
  }

  /** Open a session's folder in the system file manager (desktop app only). */
  async openFolder(sessionId: string): Promise<Result<{ path: string }>> {
    const dir = this.sessionDir(sessionId);
    if (!dir.ok) return dir;
    if (!this.folderOpener) {
      return fail('REC_OPEN_FOLDER_UNAVAILABLE', `Opening folders works in the desktop app only; the session folder is ${dir.value}.`);
    }
    const problem = await this.folderOpener(dir.value);
    if (problem) return fail('REC_OPEN_FOLDER_FAILED', `The folder ${dir.value} could not be opened: ${problem}`);
    return ok({ path: dir.value });
  }

  /** Export a finished session (CSV long, CSV wide, FIT, manifest). */
  async export(
    sessionId: string,
    options: { formats?: readonly ExportFormat[]; outDir?: string; onProgress?: (fraction: number) => void } = {},
  ): Promise<Result<ExportResult>> {
    const dir = this.sessionDir(sessionId);
    if (!dir.ok) return dir;
    if (this.session?.id === sessionId) this.session.flush();
    return exportSession(dir.value, options);
  }

  /** Stop recording (if any) and detach from the hub and registry. */
  close(): void {
    if (this.session) this.stop();
    for (const u of this.unsubscribers.splice(0)) u();
  }

  private onBatch(batch: readonly Sample[]): void {
    const s = this.session;
    if (!s) return;
    const startMs = s.header.startMs;
    for (const sample of batch) if (sample.tMs >= startMs) s.sample(sample);
  }

  private onLink(e: LinkEventLike): void {
    const name = linkEventName(e.status, e.previous, e.reason);
    if (this.session && name) this.session.link(e.tMs, e.deviceId, name, e.reason);
    if (this.autoStart) void this.tryAutoStart();
  }

  private async tryAutoStart(): Promise<void> {
    const armed = this.autoStart;
    if (!armed || this.session) return;
    if (!this.checklist(armed.requiredDeviceIds ?? []).isReady) return;
    await this.start(armed);
  }

  /** A write failed: the session has stopped writing. Tell the UI now, then rebuild the manifest from disk. */
  private onInterrupted(session: SessionRecorder, reason: string): void {
    if (this.session !== session) return;
    this.session = null;
    if (this.statusTimer) clearInterval(this.statusTimer);
    this.statusTimer = null;
    const droppedRecords = session.droppedRecords;
    this.interruption = { sessionId: session.id, reason, atMs: this.now(), droppedRecords };
    const what = reason === 'disk full' ? 'the disk is full' : `of a ${reason}`;
    const message =
      `Recording ${session.id} stopped because ${what}. Everything up to that moment is saved` +
      (droppedRecords > 0 ? `; the last ${droppedRecords} readings could not be written` : '') +
      '. Free disk space, then start a new recording.';
    if (this.options.onProblem) this.options.onProblem(message);
    else console.error(`Sensor Relay: ${message}`);
    this.emitStatus();
    this.interruptedManifest = finishSession(session.dir, { reason, droppedRecords });
    void this.interruptedManifest.then((r) => {
      if (!r.ok) console.error(`Sensor Relay: ${r.message}`);
    });
  }

  /** The session reports the interruption itself (onInterrupted), once, in plain words; this only forwards. */
  private onWriteError(err: Error): void {
    this.options.writer?.onError?.(err);
  }

  private emitStatus(): void {
    this.options.onStatus?.(this.status());
  }
}
