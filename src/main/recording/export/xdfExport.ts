/**
 * XDF export of a recorded session (docs/xdf.md): fed the recording's records in order by the one
 * export pass of exportSession.ts, it writes an XDF 1.0 file as it goes — stream headers when a
 * stream first has data, Samples chunks of at most {@link SAMPLES_PER_CHUNK} samples, ClockOffset
 * chunks as the recording measured them, a Boundary chunk at least every
 * {@link BOUNDARY_EVERY_BYTES}, and exact StreamFooters at the end. Memory stays bounded: per
 * stream one chunk of samples and, for RR streams, one anchoring window of beats.
 */
import type { MetricId } from '../../../shared/metrics';
import type { SessionManifest } from '../../../shared/recording/manifest';
import type { ClockRecord, HeaderRecord, SampleRecord, SessionRecord } from '../../../shared/recording/records';
import { BeatClock, type BeatOut } from './xdfBeats';
import { BOUNDARY_EVERY_BYTES, ChunkFile } from './xdfFile';
import {
  clockOffsetChunk,
  fileHeaderChunk,
  numericSamplesChunk,
  streamXmlChunk,
  stringSamplesChunk,
  XDF_MAGIC,
  XDF_TAG,
} from './xdfChunks';
import { HostClockMap, type ClockMappingKind } from './xdfClock';
import {
  deviceStreamName,
  fileHeaderXml,
  stringStreamInfo,
  FAMILY_INFO,
  FAMILY_OF,
  familyMetrics,
  LINK_STREAM_ID,
  MARKER_STREAM_ID,
  metricChannels,
  nominalSrateOf,
  RR_CHANNELS,
  streamFooterXml,
  streamHeaderXml,
  XDF_FAMILIES,
  type XdfChannel,
  type XdfFamily,
  type XdfStreamInfo,
} from './xdfStreams';

/** Samples per Samples chunk. */
const SAMPLES_PER_CHUNK = 512;
/** Sender of the host's own samples (ANT+, simulated devices, markers, link events). */
const HOST_CLIENT = 'host';
/** Sender of Bluetooth samples in recordings that do not say which UI process sent them. */
const UNKNOWN_UI = '?ui';

/** Options of {@link XdfExporter}. */
export interface XdfExportOptions {
  readonly boundaryEveryBytes?: number;
  readonly samplesPerChunk?: number;
}

/** What an XDF export wrote. */
export interface XdfSummary {
  readonly streams: number;
  readonly samples: number;
  readonly bytes: number;
  readonly clockMapping: ClockMappingKind;
  readonly warnings: readonly string[];
}

interface NumericStream {
  readonly info: XdfStreamInfo;
  readonly client: string;
  readonly channels: number;
  readonly metricIndex: ReadonlyMap<string, number>;
  beats: BeatClock | null;
  readonly ts: Float64Array;
  readonly values: Float64Array;
  n: number;
  lastTMs: number;
  count: number;
  firstS: number;
  lastS: number;
}

interface StringStream {
  readonly info: XdfStreamInfo;
  readonly ts: number[];
  readonly values: Buffer[];
  count: number;
  firstS: number;
  lastS: number;
}

interface PlannedStream {
  readonly id: number;
  readonly metrics: readonly MetricId[];
}

/** Writes one session's XDF file from its records. */
export class XdfExporter {
  private readonly out: ChunkFile;
  private readonly perChunk: number;
  private header: HeaderRecord | null = null;
  private clock: HostClockMap | null = null;
  private isFileHeaderWritten = false;
  private readonly planned = new Map<string, PlannedStream>();
  private nextId: number;
  private readonly numeric = new Map<string, NumericStream>();
  /** Per device, the stream of each metric (no key building per sample). */
  private readonly byDeviceMetric = new Map<string, Map<MetricId, NumericStream>>();
  private readonly strings = new Map<number, StringStream>();
  private readonly senders = new Map<string, string>();
  private readonly uiClients = new Set<string>();
  private readonly lastOffset = new Map<string, ClockRecord>();
  private samples = 0;
  private readonly warnings: string[] = [];
  private senderChanges = 0;

  constructor(
    path: string,
    private readonly manifest: SessionManifest,
    options: XdfExportOptions = {},
  ) {
    this.perChunk = options.samplesPerChunk ?? SAMPLES_PER_CHUNK;
    this.out = new ChunkFile(path, options.boundaryEveryBytes ?? BOUNDARY_EVERY_BYTES);
    this.out.chunk(XDF_MAGIC);
    // Ids depend only on the manifest: markers 1, link events 2, then device families in the
    // manifest's device order (first sample) and family order.
    let id = LINK_STREAM_ID + 1;
    for (const d of manifest.deviceIds) {
      const recorded = new Set(manifest.metricsByDevice[d] ?? []);
      for (const f of XDF_FAMILIES) {
        const metrics = familyMetrics(f, recorded);
        if (metrics.length > 0) this.planned.set(`${d}\u0000${f}`, { id: id++, metrics });
      }
    }
    this.nextId = id;
  }

  /** Take the next record of the recording. */
  onRecord(r: SessionRecord): void {
    if (r.k === 'header') {
      if (this.header === null) {
        this.header = r;
        this.clock = new HostClockMap(r);
      }
      return;
    }
    if (r.k === 'raw' || !this.clock) return;
    if (r.k === 'sync') {
      this.clock.onSync(r);
      this.ensureFileHeader();
      return;
    }
    this.ensureFileHeader();
    switch (r.k) {
      case 's':
        this.onSample(r);
        return;
      case 'marker':
        this.pushString(MARKER_STREAM_ID, r.t, Buffer.from(r.label, 'utf8'));
        return;
      case 'link':
        this.pushString(LINK_STREAM_ID, r.t, Buffer.from(JSON.stringify({ device: r.d, event: r.e, reason: r.reason }), 'utf8'));
        return;
      case 'src':
        if (this.senders.has(r.d) && this.senders.get(r.d) !== r.client) this.senderChanges++;
        this.senders.set(r.d, r.client);
        return;
      case 'clock':
        this.onClock(r);
        return;
      case 'end':
        return;
    }
  }

  /** Flush everything, write the footers and close the file. */
  finish(): XdfSummary {
    this.ensureFileHeader();
    for (const s of this.numeric.values()) s.beats?.flush();
    for (const s of this.numeric.values()) this.flushNumeric(s);
    for (const s of this.strings.values()) this.flushStrings(s);
    for (const s of this.numeric.values()) {
      if (s.client === HOST_CLIENT && s.count > 0) this.zeroOffsets(s.info.id, s.firstS, s.lastS);
      this.out.chunk(streamXmlChunk(XDF_TAG.streamFooter, s.info.id, streamFooterXml(s.firstS, s.lastS, s.count, s.info.nominalSrate)));
    }
    for (const s of this.strings.values()) {
      if (s.count > 0) this.zeroOffsets(s.info.id, s.firstS, s.lastS);
      this.out.chunk(streamXmlChunk(XDF_TAG.streamFooter, s.info.id, streamFooterXml(s.firstS, s.lastS, s.count, 0)));
    }
    let clamped = 0;
    for (const s of this.numeric.values()) clamped += s.beats?.clamped ?? 0;
    if (clamped > 0) this.warnings.push(`XDF: ${clamped} beat time(s) were moved later to keep RR streams in time order.`);
    if (this.senderChanges > 0) {
      this.warnings.push(`XDF: ${this.senderChanges} device(s) changed sending process during the session; their streams keep the first process's clock offsets.`);
    }
    this.out.close();
    return {
      streams: this.numeric.size + this.strings.size,
      samples: this.samples,
      bytes: this.out.bytes,
      clockMapping: this.clock?.kind ?? 'session-start',
      warnings: this.warnings,
    };
  }

  /** Close the file without footers (the export failed). */
  abort(): void {
    try {
      this.out.close();
    } catch (err) {
      this.warnings.push(`XDF: closing the file failed: ${(err as Error).message}`);
    }
  }

  private ensureFileHeader(): void {
    if (this.isFileHeaderWritten) return;
    this.isFileHeaderWritten = true;
    const h = this.header;
    const kind = this.clock?.kind ?? 'session-start';
    const xml = fileHeaderXml(this.manifest, h, kind);
    this.out.chunk(fileHeaderChunk(xml));
    this.streamOf(MARKER_STREAM_ID);
    this.streamOf(LINK_STREAM_ID);
  }

  private onSample(r: SampleRecord): void {
    let perMetric = this.byDeviceMetric.get(r.d);
    if (!perMetric) {
      perMetric = new Map();
      this.byDeviceMetric.set(r.d, perMetric);
    }
    let s = perMetric.get(r.m);
    if (!s) {
      s = this.numericFor(r.d, FAMILY_OF[r.m], r.m);
      perMetric.set(r.m, s);
    }
    this.samples++;
    if (s.beats) {
      s.beats.push({
        tMs: r.t,
        rrMs: r.v,
        eventTicks: r.ti?.eventTicks,
        ticksPerSecond: r.ti?.ticksPerSecond,
        eventCount: r.ti?.eventCount,
        flags: r.ti?.flags,
      });
      return;
    }
    const idx = s.metricIndex.get(r.m)!;
    const rowAt = (s.n - 1) * s.channels;
    if (s.n > 0 && s.lastTMs === r.t && Number.isNaN(s.values[rowAt + idx]!)) {
      s.values[rowAt + idx] = r.v;
      return;
    }
    const row = this.newRow(s, r.t);
    s.values[row + idx] = r.v;
  }

  private onBeat(s: NumericStream, out: BeatOut): void {
    const b = out.beat;
    const row = this.newRow(s, out.beatMs);
    const isBeatTime = b.eventCount !== undefined && b.eventTicks !== undefined;
    s.values[row] = b.rrMs;
    s.values[row + 1] = isBeatTime ? b.eventTicks! : NaN;
    s.values[row + 2] = b.eventCount ?? NaN;
    s.values[row + 3] = b.flags ?? 0;
    s.values[row + 4] = this.clock!.toSeconds(b.tMs);
  }

  /** Start a new sample row at `tMs` (NaN in every channel); returns its first value index. */
  private newRow(s: NumericStream, tMs: number): number {
    if (s.n === this.perChunk) this.flushNumeric(s);
    const tS = this.clock!.toSeconds(tMs);
    s.ts[s.n] = tS;
    const row = s.n * s.channels;
    s.values.fill(NaN, row, row + s.channels);
    s.n++;
    s.lastTMs = tMs;
    if (s.count === 0) s.firstS = tS;
    s.lastS = tS;
    s.count++;
    return row;
  }

  private numericFor(deviceId: string, family: XdfFamily, metric: MetricId): NumericStream {
    const key = `${deviceId}\u0000${family}`;
    const main = this.numeric.get(key);
    if (main?.metricIndex.has(metric)) return main;
    // A metric the manifest did not list (a session still recording, or not yet recovered) gets
    // a stream of its own once its family's stream exists.
    const extraKey = `${key}\u0000${metric}`;
    const extra = this.numeric.get(extraKey);
    if (extra) return extra;
    if (!main) {
      const plan = this.planned.get(key);
      const s = plan?.metrics.includes(metric)
        ? this.createNumeric(plan.id, deviceId, family, plan.metrics)
        : this.createNumeric(this.nextId++, deviceId, family, [metric]);
      this.numeric.set(key, s);
      return s;
    }
    const s = this.createNumeric(this.nextId++, deviceId, family, [metric], metric);
    this.numeric.set(extraKey, s);
    return s;
  }

  private createNumeric(id: number, deviceId: string, family: XdfFamily, metrics: readonly MetricId[], nameMetric?: MetricId): NumericStream {
    const client = this.senders.get(deviceId) ?? (deviceId.startsWith('ble:') ? UNKNOWN_UI : HOST_CLIENT);
    const isRr = family === 'rr';
    const channels: XdfChannel[] = isRr
      ? RR_CHANNELS.map((c) => ({ label: c.label, unit: c.unit, type: c.type, extra: { description: c.note } }))
      : metricChannels(metrics);
    const participant = this.manifest.participants.find((p) => p.deviceIds.includes(deviceId))?.id ??
      this.manifest.participants.find((p) => p.deviceIds.length === 0)?.id ?? '';
    const info: XdfStreamInfo = {
      id,
      name: deviceStreamName(deviceId, family, nameMetric),
      type: FAMILY_INFO[family].type,
      format: 'double64',
      nominalSrate: isRr ? 0 : nominalSrateOf(deviceId, family),
      sourceId: `sensor-relay:${this.manifest.base}:${deviceId}:${family}${nameMetric ? `:${nameMetric}` : ''}`,
      channels,
      about: {
        device_id: deviceId,
        participant,
        sender: client === UNKNOWN_UI ? 'ui' : client,
        timestamps: isRr ? 'beat time (device beat clock anchored to reception)' : 'reception time',
      },
    };
    const s: NumericStream = {
      info,
      client,
      channels: channels.length,
      metricIndex: new Map(metrics.map((m, i) => [m, i])),
      beats: null,
      ts: new Float64Array(this.perChunk),
      values: new Float64Array(this.perChunk * channels.length),
      n: 0,
      lastTMs: NaN,
      count: 0,
      firstS: 0,
      lastS: 0,
    };
    if (isRr) s.beats = new BeatClock((out) => this.onBeat(s, out));
    this.writeHeader(info);
    if (client !== HOST_CLIENT) {
      const known = this.offsetClientFor(client);
      const last = known ? this.lastOffset.get(known) : undefined;
      if (last) this.writeOffset(info.id, last);
    }
    return s;
  }

  private streamOf(id: number): StringStream {
    let s = this.strings.get(id);
    if (s) return s;
    const info = stringStreamInfo(id, this.manifest.base);
    this.writeHeader(info);
    s = { info, ts: [], values: [], count: 0, firstS: 0, lastS: 0 };
    this.strings.set(id, s);
    return s;
  }

  private pushString(id: number, tMs: number, value: Buffer): void {
    const s = this.streamOf(id);
    if (s.values.length === this.perChunk) this.flushStrings(s);
    const tS = this.clock!.toSeconds(tMs);
    s.ts.push(tS);
    s.values.push(value);
    if (s.count === 0) s.firstS = tS;
    s.lastS = tS;
    s.count++;
  }

  private onClock(r: ClockRecord): void {
    this.uiClients.add(r.client);
    this.lastOffset.set(r.client, r);
    for (const s of this.numeric.values()) {
      if (s.client !== HOST_CLIENT && this.offsetClientFor(s.client) === r.client) this.writeOffset(s.info.id, r);
    }
  }

  /** The UI client whose offsets apply to a stream sent by `client` (one UI only, when the recording does not say). */
  private offsetClientFor(client: string): string | null {
    if (client !== UNKNOWN_UI) return client;
    if (this.uiClients.size === 1) return this.uiClients.values().next().value!;
    if (this.uiClients.size > 1 && !this.warnings.some((w) => w.startsWith('XDF: several'))) {
      this.warnings.push('XDF: several UI processes measured clock offsets and this recording does not say which one sent each Bluetooth device; those streams keep the first process\'s offsets.');
    }
    return this.uiClients.size > 0 ? this.uiClients.values().next().value! : null;
  }

  /**
   * ClockOffset of a UI-sent stream: the UI clock minus the host clock was `offsetMs`, so a
   * timestamp on the UI clock plus (−offsetMs) is on the host clock. The collection time is on the
   * stream's own (UI) clock, as LSL recorders write it.
   */
  private writeOffset(streamId: number, r: ClockRecord): void {
    const collectionS = this.clock!.toSeconds(r.t + r.offsetMs);
    this.out.chunk(clockOffsetChunk(streamId, collectionS, -r.offsetMs / 1000));
  }

  /** Host streams are on the file's clock: offset 0 at their first and last sample (once when they are the same). */
  private zeroOffsets(streamId: number, firstS: number, lastS: number): void {
    this.out.chunk(clockOffsetChunk(streamId, firstS, 0));
    if (lastS !== firstS) this.out.chunk(clockOffsetChunk(streamId, lastS, 0));
  }

  private writeHeader(info: XdfStreamInfo): void {
    const createdAtS = this.clock ? this.clock.toSeconds(this.manifest.startMs) : 0;
    this.out.chunk(streamXmlChunk(XDF_TAG.streamHeader, info.id, streamHeaderXml(info, createdAtS, this.manifest.base)));
  }

  private flushNumeric(s: NumericStream): void {
    if (s.n === 0) return;
    this.out.chunk(numericSamplesChunk(s.info.id, s.ts, s.values, s.n, s.channels));
    s.n = 0;
  }

  private flushStrings(s: StringStream): void {
    if (s.values.length === 0) return;
    this.out.chunk(stringSamplesChunk(s.info.id, s.ts, s.values));
    s.ts.length = 0;
    s.values.length = 0;
  }
}
