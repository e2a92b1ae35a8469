/**
 * Exports of a recorded session, in one streaming pass over the recording file:
 * - CSV long: one row per sample (plus an events CSV with markers, connection events and clock offsets);
 * - CSV wide: per participant, one row per UTC second, one column per device metric (last value
 *   in the second; empty when nothing was received; RR intervals are left to the long CSV and FIT);
 * - FIT: per participant, an activity file with 1 Hz records and HRV messages carrying RR;
 * - XDF: the whole session as Lab Streaming Layer streams (xdfExport.ts, docs/xdf.md);
 * - the manifest as JSON.
 */
import { closeSync, writeFileSync, writeSync } from 'node:fs';
import { makePrivateDir, openPrivate, PRIVATE_FILE_MODE } from '../../../broker/privateFiles';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/errors';
import {
  csvLine,
  EVENTS_CSV_COLUMNS,
  isoOf,
  LONG_CSV_COLUMNS,
  longCsvLine,
} from '../../../shared/recording/csv';
import { EXPORT_FORMAT_IDS, type ExportFormatId } from '../../../shared/recording/exportFormats';
import type { SessionManifest } from '../../../shared/recording/manifest';
import { participantFileNames, sessionFileNames } from '../../../shared/recording/naming';
import type { HeaderRecord, SessionRecord } from '../../../shared/recording/records';
import { SecondBins } from '../../../shared/recording/secondBins';
import { readRecords, type ReadSummary } from '../reader';
import { readManifestIn } from '../recovery';
import { encodeFitActivity } from './fitActivity';
import { ParticipantMap } from './participants';
import { fitRows, wideCsvText } from './perSecond';
import { XdfExporter } from './xdfExport';

/** Export formats. */
const EXPORT_FORMATS = EXPORT_FORMAT_IDS;
/** One export format. */
export type ExportFormat = ExportFormatId;

/** What an export produced. */
export interface ExportResult {
  readonly outDir: string;
  /** Written files (absolute paths). */
  readonly files: readonly string[];
  readonly samples: number;
  /** Lines that failed their CRC or shape check and were left out (with the first line numbers). */
  readonly badLines: number;
  readonly warnings: readonly string[];
}

/** Options of {@link exportSession}. */
export interface ExportOptions {
  readonly formats?: readonly ExportFormat[];
  /** Output folder; default: the session folder. */
  readonly outDir?: string;
  /** Progress from 0 to 1. */
  readonly onProgress?: (fraction: number) => void;
}

/** Buffered text file writer for exports. */
class TextOut {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;
  constructor(readonly path: string) {
    this.fd = openPrivate(path, 'w');
  }
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size > 1 << 20) this.flush();
  }
  flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}

/** Export a session folder. */
export async function exportSession(sessionDir: string, options: ExportOptions = {}): Promise<Result<ExportResult>> {
  const manifestResult = readManifestIn(sessionDir);
  if (!manifestResult.ok) return manifestResult;
  const manifest: SessionManifest = manifestResult.value;
  const formats = new Set(options.formats ?? EXPORT_FORMATS);
  const outDir = options.outDir ?? sessionDir;
  const names = sessionFileNames(manifest.base);
  const files: string[] = [];
  const warnings: string[] = [];
  try {
    makePrivateDir(outDir);
  } catch (err) {
    return fail('REC_EXPORT_FAILED', `Cannot create the export folder ${outDir}: ${(err as Error).message}`);
  }
  const progress = options.onProgress ?? ((): void => undefined);
  let header: HeaderRecord | null = null;
  let participants: ParticipantMap | null = null;
  let bins: SecondBins | null = null;
  const rrByParticipant = new Map<string, { deviceId: string; rr: { tSec: number; rrMs: number }[] }>();
  let lastTMs = manifest.startMs;
  let samples = 0;
  let longOut: TextOut | null = null;
  let eventsOut: TextOut | null = null;
  let xdf: XdfExporter | null = null;
  const needBins = formats.has('csv-wide') || formats.has('fit');
  let summary: ReadSummary;
  try {
    if (formats.has('csv-long')) {
      longOut = new TextOut(join(outDir, names.longCsv));
      longOut.write(csvLine(LONG_CSV_COLUMNS));
      eventsOut = new TextOut(join(outDir, names.longCsv.replace('_samples-long.csv', '_events.csv')));
      eventsOut.write(csvLine(EVENTS_CSV_COLUMNS));
    }
    if (formats.has('xdf')) xdf = new XdfExporter(join(outDir, names.xdf), manifest);
    const onRecord = (r: SessionRecord): void => {
      xdf?.onRecord(r);
      if (r.k === 'header') {
        header = r;
        participants = new ParticipantMap(r.participants);
        bins = new SecondBins(r.startMs);
        return;
      }
      if (r.k === 'raw') return;
      if (r.t > lastTMs) lastTMs = r.t;
      if (r.k === 's') {
        samples++;
        const who = participants?.ownerOf(r.d) ?? '';
        longOut?.write(longCsvLine(r, who));
        if (!needBins || !bins || who === '') return;
        if (r.m === 'rrInterval') {
          let entry = rrByParticipant.get(who);
          if (!entry) {
            entry = { deviceId: r.d, rr: [] };
            rrByParticipant.set(who, entry);
          }
          if (entry.deviceId === r.d) entry.rr.push({ tSec: Math.floor(r.t / 1000), rrMs: r.v });
          return;
        }
        bins.add(`${who}\u0000${r.d}\u0000${r.m}`, r.t, r.v);
        return;
      }
      if (!eventsOut) return;
      if (r.k === 'marker') eventsOut.write(csvLine([isoOf(r.t), String(r.t), 'marker', '', String(r.n), r.label, r.src]));
      else if (r.k === 'link') eventsOut.write(csvLine([isoOf(r.t), String(r.t), 'link', r.d, r.e, '', r.reason]));
      else if (r.k === 'clock') {
        const detail = `offset_ms=${r.offsetMs};rtt_ms=${r.rttMs}`;
        eventsOut.write(csvLine([isoOf(r.t), String(r.t), 'clock', r.client, 'offset', '', detail]));
      } else if (r.k === 'end') eventsOut.write(csvLine([isoOf(r.t), String(r.t), 'end', '', r.reason, '', '']));
    };
    summary = await readRecords(join(sessionDir, names.records), onRecord, {
      onProgress: (read, total) => progress(total > 0 ? (0.9 * read) / total : 0.9),
    });
    longOut?.close();
    eventsOut?.close();
    if (longOut) files.push(longOut.path);
    if (eventsOut) files.push(eventsOut.path);
    if (xdf) {
      const x = xdf.finish();
      xdf = null;
      files.push(join(outDir, names.xdf));
      warnings.push(...x.warnings);
      if (x.clockMapping === 'header-start') {
        warnings.push('XDF: this recording predates periodic clock pairs; its timestamps use the start pair only (the file header says so).');
      }
    }
  } catch (err) {
    xdf?.abort();
    return fail('REC_EXPORT_FAILED', `Export of ${sessionDir} failed while reading or writing: ${(err as Error).message}`);
  }
  if (summary.badLines > 0) {
    const first = summary.firstBadLines.map((b) => b.lineNumber).join(', ');
    warnings.push(`${summary.badLines} damaged line(s) left out of the export (first at line ${first}).`);
  }
  const h = header as HeaderRecord | null;
  const pm = participants as ParticipantMap | null;
  const b = bins as SecondBins | null;
  if (!h || !pm || !b) return fail('REC_BAD_RECORD', `The recording in ${sessionDir} has no valid header.`);
  const endMs = Math.max(lastTMs, manifest.durationMs !== null ? manifest.startMs + manifest.durationMs : lastTMs);
  try {
    for (const [i, p] of h.participants.entries()) {
      // per-participant files take seconds on long sessions: report each and let the host breathe
      // (progress events go out, other calls are answered) between them
      if (formats.has('csv-wide') || formats.has('fit')) {
        progress(0.9 + (0.1 * i) / h.participants.length);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
      const pNames = participantFileNames(manifest.base, p.id);
      if (formats.has('csv-wide')) {
        const path = join(outDir, pNames.wideCsv);
        writeFileSync(path, wideCsvText(b, p.id, endMs), { mode: PRIVATE_FILE_MODE });
        files.push(path);
      }
      if (formats.has('fit')) {
        const path = join(outDir, pNames.fit);
        const rr = rrByParticipant.get(p.id)?.rr ?? [];
        const fit = encodeFitActivity({
          startMs: h.startMs,
          endMs,
          records: fitRows(b, p.id),
          rr,
          utcOffsetMin: h.utcOffsetMin,
        });
        writeFileSync(path, fit.bytes, { mode: PRIVATE_FILE_MODE });
        files.push(path);
        for (const [field, count] of Object.entries(fit.outOfRange)) {
          warnings.push(`FIT for ${p.id}: ${count} ${field} value(s) outside the range FIT can store were left out (they are in the CSVs).`);
        }
      }
    }
    if (formats.has('manifest')) {
      const path = join(outDir, names.manifestExport);
      writeFileSync(path, `${JSON.stringify({ ...manifest, export: { samples, badLines: summary.badLines, warnings } }, null, 2)}\n`, { mode: PRIVATE_FILE_MODE });
      files.push(path);
    }
  } catch (err) {
    return fail('REC_EXPORT_FAILED', `Export of ${sessionDir} failed while writing: ${(err as Error).message}`);
  }
  progress(1);
  return ok({ outDir, files, samples, badLines: summary.badLines, warnings });
}
