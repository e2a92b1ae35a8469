/**
 * Builds a session manifest from the records of a session, both live (the recorder notes every
 * record it writes) and after a crash (recovery notes every record it reads back), so the two
 * paths cannot disagree about counts, devices, markers or duration.
 */
import { writePrivateFileAtomic } from '../../broker/privateFiles';
import type { SessionManifest, SessionMarker } from '../../shared/recording/manifest';
import { RECORD_FORMAT_VERSION, type HeaderRecord, type SessionRecord } from '../../shared/recording/records';

/** Accumulates what a manifest lists. */
export class ManifestBuilder {
  private readonly counts = { samples: 0, links: 0, markers: 0, clock: 0, raw: 0 };
  private readonly metricsByDevice = new Map<string, Set<string>>();
  private readonly markers: SessionMarker[] = [];
  private lastTMs: number;

  constructor(
    readonly header: HeaderRecord,
    private readonly files: { records: string; raw: string },
  ) {
    this.lastTMs = header.startMs;
  }

  /** Note one record (sample, link, marker, clock, raw or end). */
  note(record: SessionRecord): void {
    switch (record.k) {
      case 's': {
        this.counts.samples++;
        let metrics = this.metricsByDevice.get(record.d);
        if (!metrics) {
          metrics = new Set();
          this.metricsByDevice.set(record.d, metrics);
        }
        metrics.add(record.m);
        break;
      }
      case 'link':
        this.counts.links++;
        break;
      case 'marker':
        this.counts.markers++;
        this.markers.push({ n: record.n, tMs: record.t, label: record.label, source: record.src });
        break;
      case 'clock':
        this.counts.clock++;
        break;
      case 'raw':
        this.counts.raw++;
        break;
      case 'header':
      case 'sync':
      case 'src':
        return;
      case 'end':
        break;
    }
    if (record.t > this.lastTMs) this.lastTMs = record.t;
  }

  /** Time of the latest record so far (epoch ms). */
  get lastRecordTMs(): number {
    return this.lastTMs;
  }

  /** Markers so far. */
  get markerList(): readonly SessionMarker[] {
    return this.markers;
  }

  /** Sample count so far. */
  get sampleCount(): number {
    return this.counts.samples;
  }

  /** The manifest for the current state. */
  build(state: SessionManifest['state'], extra: { recovered: boolean; repairedBytes: number; sizeBytes: number; endMs: number | null; interrupted?: string | null; droppedRecords?: number }): SessionManifest {
    const h = this.header;
    const metricsByDevice: Record<string, string[]> = {};
    for (const [d, ms] of this.metricsByDevice) metricsByDevice[d] = [...ms];
    return {
      format: 'sensor-relay-session',
      formatVersion: RECORD_FORMAT_VERSION,
      base: h.base,
      subjectId: h.subjectId,
      sessionId: h.sessionId,
      state,
      recovered: extra.recovered,
      startIso: h.startIso,
      startMs: h.startMs,
      endIso: extra.endMs === null ? null : new Date(extra.endMs).toISOString(),
      durationMs: extra.endMs === null ? null : extra.endMs - h.startMs,
      timeZone: h.timeZone,
      utcOffsetMin: h.utcOffsetMin,
      participants: h.participants,
      requiredDeviceIds: h.requiredDeviceIds,
      missingAtStart: h.missingAtStart,
      files: this.files,
      counts: { ...this.counts },
      deviceIds: [...this.metricsByDevice.keys()],
      metricsByDevice,
      markers: [...this.markers],
      repairedBytes: extra.repairedBytes,
      sizeBytes: extra.sizeBytes,
      ...(extra.interrupted ? { interrupted: extra.interrupted, droppedRecords: extra.droppedRecords ?? 0 } : {}),
    };
  }
}

/** Write a manifest atomically and durably (0600 temp file, fsync, rename, fsync of the folder). */
export function writeManifest(path: string, manifest: SessionManifest): void {
  writePrivateFileAtomic(path, `${JSON.stringify(manifest, null, 2)}\n`);
}
