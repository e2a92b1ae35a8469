/**
 * XDF export of a simulated session recorded through the real simulator, hub, registry and
 * recorder (a strap with a dropout, a trainer, markers with non-ASCII labels), read back with our
 * own spec-based reader (xdfReader.ts): structure, streams, exact values, beat times, footers,
 * clock offsets, boundaries, stable ids, and the recording left untouched.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../../../src/main/recording/export/exportSession';
import { XdfExporter } from '../../../src/main/recording/export/xdfExport';
import { readManifestIn } from '../../../src/main/recording/recovery';
import type { SampleRecord, SessionRecord } from '../../../src/shared/recording/records';
import type { SimSession } from './simSession';
import { channelValues, chunkTagsFrom, nextChunkAfterBoundary, readXdf, streamNamed, xmlText, type ReadXdf } from './xdfReader';
import { clockOf, recordsOf, recordXdfSession, UI_AHEAD_MS, UI_CLIENT, UI_DEVICE, XDF_MARKERS } from './xdfSession';

function writeTemp(bytes: Buffer): string {
  const path = join(mkdtempSync(join(tmpdir(), 'xdf-damaged-')), 'd.xdf');
  writeFileSync(path, bytes);
  return path;
}

function hashDir(dir: string): string {
  const h = createHash('sha256');
  for (const f of readdirSync(dir).sort()) h.update(f).update(readFileSync(join(dir, f)));
  return h.digest('hex');
}

let session: SimSession;
let records: SessionRecord[];
let xdf: ReadXdf;
let xdfPath: string;

beforeAll(async () => {
  session = await recordXdfSession();
  records = await recordsOf(session.sessionDir);
  const before = hashDir(session.sessionDir);
  const outDir = mkdtempSync(join(tmpdir(), 'xdf-out-'));
  const exported = await exportSession(session.sessionDir, { formats: ['xdf'], outDir });
  if (!exported.ok) throw new Error(exported.message);
  expect(hashDir(session.sessionDir)).toBe(before);
  xdfPath = exported.value.files.find((f) => f.endsWith('.xdf'))!;
  xdf = readXdf(xdfPath);
}, 60_000);

describe('XDF export of a simulated session', () => {
  it('has the streams a researcher expects, with labels and units', () => {
    const names = [...xdf.streams.values()].map((s) => xmlText(s.headerXml, 'name'));
    expect(names).toEqual(
      expect.arrayContaining([
        'sim:hr heart rate',
        'sim:hr RR intervals',
        'sim:hr device status',
        'sim:bike activity',
        `${session.manifest.base} markers`,
        `${session.manifest.base} device link events`,
      ]),
    );
    const rr = streamNamed(xdf, 'sim:hr RR intervals');
    expect(channelValues(rr.headerXml, 'label')).toEqual(['RR', 'DeviceBeatTime', 'BeatCount', 'Flags', 'ReceivedAt']);
    expect(channelValues(rr.headerXml, 'unit')).toEqual(['ms', 'ticks', 'count', 'bits', 's']);
    expect(xmlText(rr.headerXml, 'nominal_srate')).toBe('0');
    const bike = streamNamed(xdf, 'sim:bike activity');
    expect(channelValues(bike.headerXml, 'label')).toEqual(['power', 'cadence']);
    expect(channelValues(bike.headerXml, 'unit')).toEqual(['W', 'rpm']);
    expect(xmlText(xdf.fileHeaderXml, 'version')).toBe('1.0');
    expect(xmlText(xdf.fileHeaderXml, 'mapping')).toBe('sync-pairs');
  });

  it('keeps every RR value and device beat time exactly, each stamped at its beat and never after reception', () => {
    const recorded = records.filter((r): r is SampleRecord => r.k === 's' && r.d === 'sim:hr' && r.m === 'rrInterval');
    const rr = streamNamed(xdf, 'sim:hr RR intervals');
    const clock = clockOf(records);
    expect(rr.rows.length).toBe(recorded.length);
    expect(recorded.length).toBeGreaterThan(50);
    let worstMs = 0;
    for (let i = 0; i < recorded.length; i++) {
      const r = recorded[i]!;
      const [rrMs, ticks, count, flags, receivedS] = rr.rows[i]!;
      expect(rrMs).toBe(r.v);
      expect(ticks).toBe(r.ti!.eventTicks);
      expect(count).toBe(r.ti!.eventCount);
      expect(flags).toBe(r.ti!.flags ?? 0);
      expect(receivedS).toBe(clock.toSeconds(r.t));
      const stampS = rr.timestamps[i]!;
      expect(stampS).toBeLessThanOrEqual(receivedS!);
      // The simulated strap's true beat time (its ticks count from the simulator's start; 45 s do not roll over):
      // the stamp is at or just after it (by the smallest delivery delay seen around it).
      const trueBeatS = clock.toSeconds(session.simStartMs + (r.ti!.eventTicks! * 1000) / 1024);
      expect(stampS - trueBeatS).toBeGreaterThanOrEqual(-1e-9);
      expect(stampS - trueBeatS).toBeLessThan(0.02);
      worstMs = Math.max(worstMs, (stampS - trueBeatS) * 1000);
    }
    console.log(`RR beat stamps: at most ${worstMs.toFixed(2)} ms after the true beat (deliveries every 250 ms)`);
    // Consecutive beats are one RR interval apart (the device's own spacing), across the dropout too.
    let checked = 0;
    for (let i = 1; i < recorded.length; i++) {
      const spacingMs = (rr.timestamps[i]! - rr.timestamps[i - 1]!) * 1000;
      const ticks = ((rr.rows[i]![1]! - rr.rows[i - 1]![1]! + 65536) % 65536) * (1000 / 1024);
      expect(Math.abs(spacingMs - ticks)).toBeLessThan(2);
      checked++;
    }
    expect(checked).toBe(recorded.length - 1);
  });

  it('leaves the dropout a gap in every stream of the strap', () => {
    const hr = streamNamed(xdf, 'sim:hr heart rate');
    const clock = clockOf(records);
    const dropStart = clock.toSeconds(session.startMs + 20_500);
    const dropEnd = clock.toSeconds(session.startMs + 27_500);
    expect(hr.timestamps.filter((t) => t > dropStart && t < dropEnd)).toEqual([]);
    expect(hr.timestamps.some((t) => t > dropEnd)).toBe(true);
  });

  it('writes every other sample with its value and reception time', () => {
    const clock = clockOf(records);
    const bike = streamNamed(xdf, 'sim:bike activity');
    const recorded = records.filter((r): r is SampleRecord => r.k === 's' && r.d === 'sim:bike');
    const fromXdf: [number, string, number][] = [];
    bike.rows.forEach((row, i) => {
      if (!Number.isNaN(row[0])) fromXdf.push([bike.timestamps[i]!, 'power', row[0]!]);
      if (!Number.isNaN(row[1])) fromXdf.push([bike.timestamps[i]!, 'cadence', row[1]!]);
    });
    expect(fromXdf).toEqual(recorded.map((r) => [clock.toSeconds(r.t), r.m, r.v]));
  });

  it('holds only the markers in the marker stream, byte for byte, at their times', () => {
    const clock = clockOf(records);
    const markers = streamNamed(xdf, `${session.manifest.base} markers`);
    expect(markers.strings.map((b) => b.toString('hex'))).toEqual(XDF_MARKERS.map(([, l]) => Buffer.from(l, 'utf8').toString('hex')));
    const recorded = records.filter((r) => r.k === 'marker');
    expect(markers.timestamps).toEqual(recorded.map((r) => clock.toSeconds(r.t)));
    expect(xmlText(markers.headerXml, 'type')).toBe('Markers');
  });

  it('puts the strap’s link events (stale, reconnected) in their own string stream', () => {
    const links = streamNamed(xdf, `${session.manifest.base} device link events`);
    const events = links.strings.map((b) => JSON.parse(b.toString('utf8')) as { device: string; event: string });
    const recorded = records.filter((r) => r.k === 'link');
    expect(events.map((e) => `${e.device} ${e.event}`)).toEqual(recorded.map((r) => (r.k === 'link' ? `${r.d} ${r.e}` : '')));
    expect(events.some((e) => e.device === 'sim:hr' && e.event === 'stale')).toBe(true);
  });

  it('closes every stream with an exact footer and gives host streams zero clock offsets', () => {
    for (const s of xdf.streams.values()) {
      if (xmlText(s.headerXml, 'sender') !== 'host') continue;
      expect(s.footerXml).not.toBeNull();
      const count = s.format === 'string' ? s.strings.length : s.rows.length;
      expect(Number(xmlText(s.footerXml!, 'sample_count'))).toBe(count);
      if (count === 0) continue;
      expect(Number(xmlText(s.footerXml!, 'first_timestamp'))).toBe(s.timestamps[0]);
      expect(Number(xmlText(s.footerXml!, 'last_timestamp'))).toBe(s.timestamps.at(-1));
      expect(s.clockOffsets.length).toBeGreaterThan(0);
      expect(s.clockOffsets.every((o) => o.offsetS === 0)).toBe(true);
    }
  });

  it('keeps a UI process’s samples on its clock, with its measured offsets as ClockOffset chunks', () => {
    const clock = clockOf(records);
    const ble = streamNamed(xdf, `${UI_DEVICE} heart rate`);
    expect(xmlText(ble.headerXml, 'sender')).toBe(UI_CLIENT);
    const recorded = records.filter((r): r is SampleRecord => r.k === 's' && r.d === UI_DEVICE);
    expect(ble.timestamps).toEqual(recorded.map((r) => clock.toSeconds(r.t)));
    const measured = records.filter((r) => r.k === 'clock');
    expect(measured.length).toBeGreaterThan(5);
    expect(ble.clockOffsets).toEqual(
      measured.map((r) => (r.k === 'clock' ? { collectionS: clock.toSeconds(r.t + r.offsetMs), offsetS: -r.offsetMs / 1000 } : null)),
    );
    // Applying them as LSL readers do (the latest offset collected at or before each timestamp)
    // puts the samples on the host clock, to within the offsets' own spread (0.2 ms here).
    for (let i = 0; i < recorded.length; i++) {
      const ts = ble.timestamps[i]!;
      const o = [...ble.clockOffsets].reverse().find((c) => c.collectionS <= ts) ?? ble.clockOffsets[0]!;
      expect(Math.abs(ts + o.offsetS - clock.toSeconds(recorded[i]!.t - UI_AHEAD_MS))).toBeLessThan(0.00021);
    }
  });

  it('gives the same stream ids and names on every export', async () => {
    const outDir = mkdtempSync(join(tmpdir(), 'xdf-again-'));
    const again = await exportSession(session.sessionDir, { formats: ['xdf'], outDir });
    if (!again.ok) throw new Error(again.message);
    const second = readXdf(again.value.files[0]!);
    const ids = (x: ReadXdf): string[] => [...x.streams.values()].map((s) => `${s.id} ${xmlText(s.headerXml, 'name')}`);
    expect(ids(second)).toEqual(ids(xdf));
    expect(readFileSync(again.value.files[0]!).equals(readFileSync(xdfPath))).toBe(true);
  });

  it('writes a Boundary chunk at least every 10 MB (here every 1 kB, to see several)', async () => {
    const manifest = readManifestIn(session.sessionDir);
    if (!manifest.ok) throw new Error(manifest.message);
    const path = join(mkdtempSync(join(tmpdir(), 'xdf-b-')), 'b.xdf');
    const exporter = new XdfExporter(path, manifest.value, { boundaryEveryBytes: 1024, samplesPerChunk: 16 });
    for (const r of records) exporter.onRecord(r);
    exporter.finish();
    const small = readXdf(path);
    expect(small.boundaryOffsets.length).toBeGreaterThan(3);
    const marks = [0, ...small.boundaryOffsets, small.size];
    for (let i = 1; i < marks.length; i++) expect(marks[i]! - marks[i - 1]!).toBeLessThan(1024 + 2048);
    expect(streamNamed(small, 'sim:hr RR intervals').rows).toEqual(streamNamed(xdf, 'sim:hr RR intervals').rows);
    // A damaged file (a length field destroyed mid-file) resynchronises at the next Boundary.
    const damaged = readFileSync(path);
    const hit = Math.floor(damaged.length / 2);
    damaged.fill(0xff, hit, hit + 8);
    expect(() => readXdf(writeTemp(damaged))).toThrow();
    const resume = nextChunkAfterBoundary(damaged, hit + 8)!;
    expect(resume).toBeGreaterThan(hit);
    const tags = chunkTagsFrom(damaged, resume);
    expect(tags.length).toBeGreaterThan(3);
    expect(tags).toContain(6); // read on to the StreamFooters
    // The real export's spacing rule, on this small file: under 10 MB between boundaries.
    const realMarks = [0, ...xdf.boundaryOffsets, xdf.size];
    for (let i = 1; i < realMarks.length; i++) expect(realMarks[i]! - realMarks[i - 1]!).toBeLessThan(10_000_000);
  });
});
