/**
 * One open session on disk: creates the BIDS-like session folder (0700, files 0600), writes the
 * header, appends samples, link events, markers, clock offsets (recording file) and raw transport
 * messages (raw log), keeps the manifest, and closes both files with an `end` record on stop.
 *
 * A full disk (docs/security.md "A full disk"): the first failed write interrupts the session.
 * Both files keep only whole lines, a small space reserve taken at start is released so the
 * `end` record and the manifest (`interrupted: "disk full"`, the records that could not be kept)
 * can still be written, and {@link SessionRecorder.onInterrupted} tells the service at once.
 */
import { existsSync, unlinkSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Sample } from '../../shared/sample';
import type { SessionManifest, SessionMarker } from '../../shared/recording/manifest';
import { sessionBaseName, sessionFileNames } from '../../shared/recording/naming';
import { bytesToHex } from '../../shared/recording/hex';
import {
  encodeRecordLine,
  RECORD_FORMAT_VERSION,
  type HeaderRecord,
  type LinkRecord,
  type SessionParticipant,
  type SampleRecord,
  type SessionRecord,
} from '../../shared/recording/records';
import { makePrivateDir, openPrivate, storageErrorReason, writeAll } from '../../broker/privateFiles';
import { closeSync } from 'node:fs';
import { AppendWriter, type AppendWriterOptions } from './appendWriter';
import { ManifestBuilder, writeManifest } from './manifestBuilder';

/** What a session is started with. */
export interface SessionSpec {
  readonly subjectId: string;
  readonly sessionId: string;
  /** Default: one participant (the subject) owning every device. */
  readonly participants?: readonly SessionParticipant[];
  readonly requiredDeviceIds?: readonly string[];
  readonly missingAtStart?: readonly string[];
  readonly app?: { version?: string; mode?: string };
}

/** One raw transport message, as the BLE and ANT+ sources report it. */
export interface RawMessage {
  readonly tMs: number;
  readonly deviceId: string;
  readonly transport: 'ble' | 'ant';
  /** BLE characteristic UUID. */
  readonly characteristic?: string;
  /** ANT channel number. */
  readonly channel?: number;
  readonly bytes: Uint8Array;
}

/** The host clocks a recorder pairs up in `sync` records (docs/xdf.md, "Timestamps"). */
export interface RecorderClocks {
  /** The clock every record's `t` is on (epoch ms with fraction). */
  readonly now: () => number;
  /** The monotonic clock in ns (`process.hrtime.bigint`, what LSL's local_clock() reads). */
  readonly hrtimeNs: () => bigint;
  /** Interval between pairs (ms); default {@link SYNC_EVERY_MS}. */
  readonly syncEveryMs?: number;
}

/** Default interval between `sync` records: an hour of recording holds 360, about 25 kB. */
export const SYNC_EVERY_MS = 10_000;

/** The timing object itself when every field is a finite number (the usual case), else a copy without the others (JSON has no NaN). */
function finiteTiming(timing: NonNullable<Sample['timing']>): NonNullable<Sample['timing']> {
  for (const v of Object.values(timing)) {
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      return Object.fromEntries(Object.entries(timing).filter(([, x]) => typeof x === 'number' && Number.isFinite(x)));
    }
  }
  return timing;
}

/** Bytes set aside at start so the end record and the manifest fit on a disk that fills up. */
export const SPACE_RESERVE_BYTES = 128 * 1024;
/** Name of the reserve file inside the session folder. */
export const SPACE_RESERVE_FILE = '.space-reserve';

/** An open session. */
export class SessionRecorder {
  /** Why the session stopped early, or null. */
  interruption: string | null = null;
  /** Called once when a write fails and the session is interrupted. */
  onInterrupted: ((reason: string) => void) | null = null;
  readonly dir: string;
  readonly header: HeaderRecord;
  private readonly records: AppendWriter;
  private readonly raw: AppendWriter;
  private readonly builder: ManifestBuilder;
  private readonly manifestPath: string;
  private isOpen = true;
  private syncTimer: ReturnType<typeof setInterval> | null = null;

  constructor(
    sessionsDir: string,
    spec: SessionSpec,
    startMs: number,
    writerOptions: AppendWriterOptions = {},
    private readonly clocks: RecorderClocks | null = null,
  ) {
    const utcOffsetMin = -new Date(startMs).getTimezoneOffset();
    const base = sessionBaseName(spec.subjectId, spec.sessionId, startMs, utcOffsetMin);
    let folder = base;
    for (let n = 2; existsSync(join(sessionsDir, folder)); n++) folder = `${base}-${n}`;
    this.dir = join(sessionsDir, folder);
    makePrivateDir(this.dir);
    const files = sessionFileNames(base);
    this.manifestPath = join(this.dir, files.manifest);
    this.header = {
      k: 'header',
      v: RECORD_FORMAT_VERSION,
      base,
      subjectId: spec.subjectId,
      sessionId: spec.sessionId,
      startIso: new Date(startMs).toISOString(),
      startMs,
      hrtimeNs: process.hrtime.bigint().toString(),
      timeOriginMs: performance.timeOrigin,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      utcOffsetMin,
      participants: spec.participants?.map((p) => ({ id: p.id, deviceIds: [...p.deviceIds] })) ?? [
        { id: spec.subjectId, deviceIds: [] },
      ],
      requiredDeviceIds: [...(spec.requiredDeviceIds ?? [])],
      missingAtStart: [...(spec.missingAtStart ?? [])],
      app: spec.app ?? {},
    };
    this.builder = new ManifestBuilder(this.header, { records: files.records, raw: files.raw });
    this.reservePath = join(this.dir, SPACE_RESERVE_FILE);
    const fd = openPrivate(this.reservePath, 'w');
    try {
      writeAll(fd, Buffer.alloc(SPACE_RESERVE_BYTES));
    } finally {
      closeSync(fd);
    }
    const onError = (err: Error): void => {
      this.interrupt(err);
      writerOptions.onError?.(err);
    };
    this.records = new AppendWriter(join(this.dir, files.records), { ...writerOptions, onError });
    this.raw = new AppendWriter(join(this.dir, files.raw), { ...writerOptions, onError });
    this.records.append(encodeRecordLine(this.header));
    if (!this.records.sync()) throw this.records.error ?? new Error('the recording file could not be written');
    if (clocks) {
      this.syncPair();
      this.syncTimer = setInterval(() => this.syncPair(), clocks.syncEveryMs ?? SYNC_EVERY_MS);
      this.syncTimer.unref?.();
    }
    this.writeManifest('recording', null);
  }

  /**
   * Append one `sync` record: the monotonic clock read just before and just after `now()`, the
   * midpoint paired with `now()`'s value, and the span as the pair's uncertainty.
   */
  syncPair(): void {
    const c = this.clocks;
    if (!c || !this.isOpen) return;
    const before = c.hrtimeNs();
    const t = c.now();
    const after = c.hrtimeNs();
    this.write({ k: 'sync', t, hrNs: ((before + after) / 2n).toString(), spanNs: Number(after - before) });
  }

  /** Append which process sends `deviceId`'s samples (`host` or a UI client id). */
  source(tMs: number, deviceId: string, client: string): void {
    this.write({ k: 'src', t: tMs, d: deviceId, client });
  }

  private readonly reservePath: string;

  /** Records handed to the session that are not on disk (after an interruption). */
  get droppedRecords(): number {
    return this.records.droppedLines + this.raw.droppedLines;
  }

  /**
   * End the session early after a failed write: both writers have stopped with whole lines only,
   * the reserve is released; the service then rebuilds the manifest from what is on disk
   * (recovery.ts `finishSession`), so the manifest never claims more than the files hold.
   */
  private interrupt(err: Error): void {
    if (this.interruption !== null) return;
    this.interruption = storageErrorReason(err);
    this.isOpen = false;
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = null;
    this.releaseReserve();
    this.records.close(); // flushes what is buffered; a second failure cuts that file back too
    this.raw.close();
    this.onInterrupted?.(this.interruption);
  }

  private releaseReserve(): void {
    try {
      unlinkSync(this.reservePath);
    } catch (err) {
      void err; // already released
    }
  }

  /** Folder name of the session (its id in lists and commands). */
  get id(): string {
    return basename(this.dir);
  }

  /** Append one sample exactly as received (timing object kept as is; non-finite timing fields are left out). */
  sample(s: Sample): void {
    const rec: SessionRecord = s.timing
      ? { k: 's', t: s.tMs, d: s.deviceId, m: s.metric, v: s.value, ti: finiteTiming(s.timing) as SampleRecord['ti'] }
      : { k: 's', t: s.tMs, d: s.deviceId, m: s.metric, v: s.value };
    this.write(rec);
  }

  /** Append a connection event. */
  link(tMs: number, deviceId: string, event: LinkRecord['e'], reason: string): void {
    this.write({ k: 'link', t: tMs, d: deviceId, e: event, reason });
  }

  /** Append a marker; returns it with its number. */
  marker(tMs: number, label: string, source: string): SessionMarker {
    const n = this.builder.markerList.length + 1;
    this.write({ k: 'marker', t: tMs, n, label, src: source });
    return { n, tMs, label, source };
  }

  /** Append a clock-offset measurement. */
  clock(tMs: number, clientId: string, offsetMs: number, rttMs: number): void {
    this.write({ k: 'clock', t: tMs, client: clientId, offsetMs, rttMs });
  }

  /** Append one raw transport message to the raw log. */
  rawMessage(m: RawMessage): void {
    if (!this.isOpen) return;
    const rec: SessionRecord = { k: 'raw', t: m.tMs, d: m.deviceId, tr: m.transport, b: bytesToHex(m.bytes) };
    if (m.characteristic !== undefined) rec.ch = m.characteristic;
    if (m.channel !== undefined) rec.chan = m.channel;
    this.builder.note(rec);
    this.raw.append(encodeRecordLine(rec));
  }

  /** Markers so far. */
  get markers(): readonly SessionMarker[] {
    return this.builder.markerList;
  }

  /** Bytes of both files (written + buffered). */
  get sizeBytes(): number {
    return this.records.sizeBytes + this.raw.sizeBytes;
  }

  /** Samples recorded so far. */
  get sampleCount(): number {
    return this.builder.sampleCount;
  }

  /** Flush both files now. */
  flush(): void {
    this.records.flush();
    this.raw.flush();
  }

  /** Flush and fdatasync both files now (the writers' timers do this every second). */
  sync(): void {
    this.records.sync();
    this.raw.sync();
  }

  /** Write the end record, close both files (synced) and mark the manifest complete. */
  stop(tMs: number): SessionManifest {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = null;
    this.syncPair();
    const endMs = Math.max(tMs, this.builder.lastRecordTMs);
    this.write({ k: 'end', t: endMs, reason: 'stopped' });
    this.isOpen = false;
    this.records.close();
    this.raw.close();
    // closing syncs; a failure there interrupted the session and its manifest is rebuilt from disk
    if (this.interruption !== null) throw new Error(this.interruption);
    this.releaseReserve();
    return this.writeManifest('complete', endMs);
  }

  private write(rec: SessionRecord): void {
    if (!this.isOpen) return;
    this.builder.note(rec);
    this.records.append(encodeRecordLine(rec));
  }

  private writeManifest(state: SessionManifest['state'], endMs: number | null): SessionManifest {
    const manifest = this.builder.build(state, { recovered: false, repairedBytes: 0, sizeBytes: this.sizeBytes, endMs });
    writeManifest(this.manifestPath, manifest);
    return manifest;
  }
}
