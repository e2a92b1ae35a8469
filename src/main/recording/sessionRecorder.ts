/**
 * One open session on disk: creates the BIDS-like session folder, writes the header, appends
 * samples, link events, markers, clock offsets (recording file) and raw transport messages (raw
 * log), keeps the manifest, and closes both files with an `end` record on stop.
 */
import { existsSync, mkdirSync } from 'node:fs';
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

/** An open session. */
export class SessionRecorder {
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
    mkdirSync(this.dir, { recursive: true });
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
    this.records = new AppendWriter(join(this.dir, files.records), writerOptions);
    this.raw = new AppendWriter(join(this.dir, files.raw), writerOptions);
    this.records.append(encodeRecordLine(this.header));
    if (clocks) {
      this.syncPair();
      this.syncTimer = setInterval(() => this.syncPair(), clocks.syncEveryMs ?? SYNC_EVERY_MS);
      this.syncTimer.unref?.();
    }
    this.records.flush();
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

  /** Write the end record, close both files and mark the manifest complete. */
  stop(tMs: number): SessionManifest {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.syncTimer = null;
    this.syncPair();
    const endMs = Math.max(tMs, this.builder.lastRecordTMs);
    this.write({ k: 'end', t: endMs, reason: 'stopped' });
    this.isOpen = false;
    this.records.close();
    this.raw.close();
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
