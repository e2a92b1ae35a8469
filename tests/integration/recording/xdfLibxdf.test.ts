/**
 * The XDF export read by an independent implementation: a small C++ program built against
 * Debian's libxdf (the loader behind SigViewer) loads the export of a recorded simulated session
 * (strap with a dropout, trainer, markers, a UI-sent Bluetooth strap) and prints what it read.
 * Checked: stream count, channel labels, sample counts, every RR value and device beat time,
 * marker strings and times, and clock offsets (which libxdf applies while loading).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportSession } from '../../../src/main/recording/export/exportSession';
import type { SampleRecord, SessionRecord } from '../../../src/shared/recording/records';
import type { SimSession } from './simSession';
import { buildLibxdfReader } from './libxdfToolchain';
import { clockOf, recordsOf, recordXdfSession, UI_AHEAD_MS, UI_DEVICE, XDF_MARKERS } from './xdfSession';

interface LibStream {
  name: string;
  type: string;
  format: string;
  channelCount: number;
  footerCount: number;
  labels: string[];
  units: string[];
  timestamps: number[];
  rows: number[][];
  offsets: [number, number][];
}

const fromHex = (h: string): string => Buffer.from(h, 'hex').toString('utf8');

function parseDump(text: string): { streams: LibStream[]; events: { stream: number; t: number; hex: string }[] } {
  const streams: LibStream[] = [];
  const events: { stream: number; t: number; hex: string }[] = [];
  for (const line of text.split('\n')) {
    const f = line.split(' ');
    if (f[0] === '@STREAM') {
      streams[Number(f[1])] = {
        name: fromHex(f[2]!),
        type: fromHex(f[3]!),
        format: f[4]!,
        channelCount: Number(f[5]),
        footerCount: Number(f[6]),
        labels: [],
        units: [],
        timestamps: [],
        rows: [],
        offsets: [],
      };
    } else if (f[0] === '@CHANNEL') {
      streams[Number(f[1])]!.labels.push(fromHex(f[2]!));
      streams[Number(f[1])]!.units.push(fromHex(f[3]!));
    } else if (f[0] === '@SAMPLE') {
      const s = streams[Number(f[1])]!;
      s.timestamps.push(Number(f[2]));
      s.rows.push(f.slice(3).map(Number));
    } else if (f[0] === '@OFFSET') {
      streams[Number(f[1])]!.offsets.push([Number(f[2]), Number(f[3])]);
    } else if (f[0] === '@EVENT') {
      events.push({ stream: Number(f[1]), t: Number(f[2]), hex: f[3] ?? '' });
    }
  }
  return { streams, events };
}

const reader = buildLibxdfReader();
if ('reason' in reader) console.warn(`libxdf XDF test skipped: ${reader.reason}`);

let session: SimSession;
let records: SessionRecord[];
let lib: ReturnType<typeof parseDump>;

describe.skipIf('reason' in reader)('XDF export read by libxdf', () => {
  beforeAll(async () => {
    session = await recordXdfSession();
    records = await recordsOf(session.sessionDir);
    const outDir = mkdtempSync(join(tmpdir(), 'xdf-libxdf-'));
    const exported = await exportSession(session.sessionDir, { formats: ['xdf'], outDir });
    if (!exported.ok) throw new Error(exported.message);
    const run = spawnSync((reader as { path: string }).path, [exported.value.files[0]!], { encoding: 'utf8', maxBuffer: 64 << 20 });
    if (run.status !== 0) throw new Error(`libxdf reader failed: ${run.stderr}`);
    lib = parseDump(run.stdout);
  }, 120_000);

  const named = (name: string): LibStream => {
    const s = lib.streams.find((x) => x.name === name);
    if (!s) throw new Error(`libxdf has no stream ${name}: ${lib.streams.map((x) => x.name).join(', ')}`);
    return s;
  };

  it('finds one stream per device and metric family plus markers and link events', () => {
    const m = session.manifest;
    expect(m.deviceIds).toEqual(expect.arrayContaining(['sim:hr', 'sim:bike', UI_DEVICE]));
    expect(lib.streams.map((s) => s.name).sort()).toEqual(
      [
        'sim:hr heart rate',
        'sim:hr RR intervals',
        'sim:hr device status',
        'sim:bike activity',
        `${UI_DEVICE} heart rate`,
        `${m.base} markers`,
        `${m.base} device link events`,
      ].sort(),
    );
    expect(named('sim:hr RR intervals').labels).toEqual(['RR', 'DeviceBeatTime', 'BeatCount', 'Flags', 'ReceivedAt']);
    expect(named('sim:hr RR intervals').units).toEqual(['ms', 'ticks', 'count', 'bits', 's']);
    expect(named('sim:bike activity').labels).toEqual(['power', 'cadence']);
    expect(named('sim:hr heart rate').labels).toEqual(['heartRate']);
    expect(named(`${m.base} markers`).type).toBe('Markers');
  });

  it('reads the sample count of every numeric stream from both its samples and its footer', () => {
    for (const s of lib.streams.filter((x) => x.format === 'double64')) {
      expect(s.timestamps.length).toBe(s.footerCount);
      expect(s.timestamps.length).toBeGreaterThan(0);
    }
    const hrSamples = records.filter((r) => r.k === 's' && r.d === 'sim:hr' && r.m === 'heartRate').length;
    expect(named('sim:hr heart rate').footerCount).toBe(hrSamples);
  });

  it('reads every RR value and device beat time exactly as recorded, stamped at or before reception', () => {
    const rr = named('sim:hr RR intervals');
    const recorded = records.filter((r): r is SampleRecord => r.k === 's' && r.d === 'sim:hr' && r.m === 'rrInterval');
    const clock = clockOf(records);
    expect(rr.rows.length).toBe(recorded.length);
    recorded.forEach((r, i) => {
      // libxdf holds values as 32-bit floats; RR values (n/1024 s in ms) and 16-bit beat times fit one exactly.
      expect(rr.rows[i]![0]).toBe(r.v);
      expect(rr.rows[i]![1]).toBe(r.ti!.eventTicks);
      expect(rr.rows[i]![2]).toBe(r.ti!.eventCount);
      expect(rr.timestamps[i]!).toBeLessThanOrEqual(clock.toSeconds(r.t));
      const trueBeatS = clock.toSeconds(session.simStartMs + (r.ti!.eventTicks! * 1000) / 1024);
      expect(Math.abs(rr.timestamps[i]! - trueBeatS)).toBeLessThan(0.02);
    });
  });

  it('reads the marker strings byte for byte at their times, and only markers', () => {
    const clock = clockOf(records);
    const index = lib.streams.findIndex((s) => s.name === `${session.manifest.base} markers`);
    const markers = lib.events.filter((e) => e.stream === index);
    expect(markers.map((e) => e.hex)).toEqual(XDF_MARKERS.map(([, l]) => Buffer.from(l, 'utf8').toString('hex')));
    const recorded = records.filter((r) => r.k === 'marker');
    markers.forEach((e, i) => expect(e.t).toBeCloseTo(clock.toSeconds(recorded[i]!.t), 9));
  });

  it('finds clock offsets for every stream and, applying them, puts the UI strap on the host clock', () => {
    for (const s of lib.streams) expect(s.offsets.length).toBeGreaterThan(0);
    const clock = clockOf(records);
    const ble = named(`${UI_DEVICE} heart rate`);
    expect(ble.offsets.every(([, v]) => Math.abs(v + UI_AHEAD_MS / 1000) < 0.0003)).toBe(true);
    const recorded = records.filter((r): r is SampleRecord => r.k === 's' && r.d === UI_DEVICE);
    expect(ble.timestamps.length).toBe(recorded.length);
    recorded.forEach((r, i) => {
      expect(ble.rows[i]![0]).toBe(Math.fround(r.v));
      // libxdf added the offsets while loading: the times are the host's, to within the offsets' spread.
      expect(Math.abs(ble.timestamps[i]! - clock.toSeconds(r.t - UI_AHEAD_MS))).toBeLessThan(0.00021);
    });
  });
});
