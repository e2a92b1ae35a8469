/**
 * The parts of the XDF export: variable-length integers and chunk lengths, XML escaping, the
 * beat-time anchoring of RR intervals (rollover, drift, Bluetooth straps without beat times,
 * restarts), the mapping onto the monotonic clock, and the clock pairs and sample sources the
 * recorder now writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { BeatClock, type BeatOut } from '../../../../src/main/recording/export/xdfBeats';
import { chunkHeader, writeVarLen, xmlEscape } from '../../../../src/main/recording/export/xdfChunks';
import { HostClockMap } from '../../../../src/main/recording/export/xdfClock';
import { RecordingService } from '../../../../src/main/recording/service';
import { decodeRecordLine, type HeaderRecord } from '../../../../src/shared/recording/records';
import { FakeHub, fakeClock, tempDataDir } from './fakes';

/** A strap whose crystal runs `ppm` fast, beating every `rrTicks`, delivered `delayMs(i)` after each beat. */
function strap(n: number, opts: { ppm?: number; rrTicks?: (i: number) => number; delayMs: (i: number) => number }) {
  const out: { tMs: number; trueMs: number; ticks: number; rrMs: number; count: number }[] = [];
  let ticks = 40_000; // rolls over soon after the start
  let trueMs = 1_000_000;
  for (let i = 0; i < n; i++) {
    const rr = opts.rrTicks?.(i) ?? 700 + ((i * 37) % 200);
    ticks += rr;
    trueMs += ((rr * 1000) / 1024) * (1 - (opts.ppm ?? 0) / 1e6);
    out.push({ tMs: trueMs + opts.delayMs(i), trueMs, ticks: ticks % 65536, rrMs: (rr * 1000) / 1024, count: (i + 1) % 256 });
  }
  return out;
}

function anchor(beats: ReturnType<typeof strap>, sum = false): { outs: BeatOut[]; clock: BeatClock } {
  const outs: BeatOut[] = [];
  const clock = new BeatClock((o) => outs.push(o));
  for (const b of beats) {
    clock.push(
      sum
        ? { tMs: b.tMs, rrMs: b.rrMs, eventTicks: Math.round(b.rrMs * 1.024), ticksPerSecond: 1024 }
        : { tMs: b.tMs, rrMs: b.rrMs, eventTicks: b.ticks, ticksPerSecond: 1024, eventCount: b.count },
    );
  }
  clock.flush();
  return { outs, clock };
}

describe('XDF chunk encoding', () => {
  it('writes lengths in 1, 4 or 8 bytes as the value needs, little-endian', () => {
    const buf = Buffer.alloc(9);
    expect(writeVarLen(buf, 0, 255)).toBe(2);
    expect([...buf.subarray(0, 2)]).toEqual([1, 255]);
    expect(writeVarLen(buf, 0, 256)).toBe(5);
    expect([...buf.subarray(0, 5)]).toEqual([4, 0, 1, 0, 0]);
    expect(writeVarLen(buf, 0, 2 ** 32)).toBe(9);
    expect([...buf.subarray(0, 9)]).toEqual([8, 0, 0, 0, 0, 1, 0, 0, 0]);
    // The chunk length counts the 2-byte tag and the content.
    expect([...chunkHeader(3, 10)]).toEqual([1, 12, 3, 0]);
  });

  it('escapes markup and replaces characters XML cannot hold', () => {
    expect(xmlEscape('a<b>&"c" \u0001 ü')).toBe('a&lt;b&gt;&amp;&quot;c&quot; \ufffd ü');
  });
});

describe('RR beat times', () => {
  it('stamps every beat at or before its reception and within the smallest delay of its true time, across rollovers', () => {
    const beats = strap(600, { delayMs: (i) => 20 + ((i * 53) % 23) * 10 });
    const { outs } = anchor(beats);
    expect(outs.length).toBe(600);
    outs.forEach((o, i) => {
      expect(o.beatMs).toBeLessThanOrEqual(beats[i]!.tMs);
      expect(o.beatMs - beats[i]!.trueMs).toBeGreaterThanOrEqual(20 - 1e-6);
      expect(o.beatMs - beats[i]!.trueMs).toBeLessThan(21);
    });
  });

  it('follows a sensor crystal 100 ppm off over an hour (a single offset would be 360 ms wrong at one end)', () => {
    const beats = strap(4000, { ppm: 100, rrTicks: () => 920, delayMs: (i) => 5 + ((i * 29) % 40) });
    const { outs } = anchor(beats);
    let worst = 0;
    outs.forEach((o, i) => {
      expect(o.beatMs).toBeLessThanOrEqual(beats[i]!.tMs);
      worst = Math.max(worst, Math.abs(o.beatMs - 5 - beats[i]!.trueMs));
    });
    expect(worst).toBeLessThan(4); // the ±30 s window holds the drift to about 3 ms
  });

  it('builds a Bluetooth strap’s beat clock from its RR intervals (no beat times sent)', () => {
    const beats = strap(300, { delayMs: (i) => 40 + ((i * 71) % 9) * 100 });
    const { outs } = anchor(beats, true);
    outs.forEach((o, i) => {
      expect(o.beatMs).toBeLessThanOrEqual(beats[i]!.tMs);
      expect(Math.abs(o.beatMs - 40 - beats[i]!.trueMs)).toBeLessThan(1e-6);
    });
  });

  it('starts a new anchor when the sensor restarts its clock, never stamping after reception', () => {
    const a = strap(100, { delayMs: () => 30 });
    const b = strap(100, { delayMs: () => 30 }).map((x) => ({ ...x, tMs: x.tMs + 200_000, trueMs: x.trueMs + 200_000, ticks: (x.ticks + 12345) % 65536 }));
    const { outs, clock } = anchor([...a, ...b]);
    expect(clock.segments).toBe(2);
    [...a, ...b].forEach((x, i) => expect(Math.abs(outs[i]!.beatMs - 30 - x.trueMs)).toBeLessThan(1e-6));
  });
});

describe('monotonic clock mapping', () => {
  const header = { startMs: 1_000_000, hrtimeNs: '5000000000000' } as HeaderRecord;

  it('maps with the start pair when the recording has no clock pairs', () => {
    const map = new HostClockMap(header);
    expect(map.kind).toBe('header-start');
    expect(map.toSeconds(1_002_500)).toBeCloseTo(5002.5, 9);
  });

  it('maps each time with the latest pair taken at or before it, absorbing drift between pairs', () => {
    const map = new HostClockMap(header);
    map.onSync({ k: 'sync', t: 1_000_000, hrNs: '5000000000000', spanNs: 800 });
    map.onSync({ k: 'sync', t: 1_010_000, hrNs: '5010000500000', spanNs: 900 }); // monotonic ran 0.5 ms ahead
    expect(map.kind).toBe('sync-pairs');
    expect(map.toSeconds(1_005_000)).toBeCloseTo(5005, 9);
    expect(map.toSeconds(1_012_000)).toBeCloseTo(5012.0005, 9);
    expect(map.maxStepMs).toBeCloseTo(0.5, 9);
  });

  it('says so when the header has no readable monotonic reading', () => {
    const map = new HostClockMap({ ...header, hrtimeNs: 'garbage' });
    expect(map.kind).toBe('session-start');
    expect(map.toSeconds(1_001_000)).toBe(1);
  });
});

describe('what the recorder writes for exports', () => {
  it('pairs its clocks at start, periodically and at stop, and records which UI sends a device', async () => {
    const clock = fakeClock();
    let hr = 7_000_000_000n;
    const svc = new RecordingService({
      dataDir: tempDataDir('xdf-sync'),
      hub: new FakeHub(),
      now: clock.now,
      hrtimeNs: () => (hr += 1000n),
      syncEveryMs: 5,
    });
    svc.noteSender('ble:aa', 'ws-1');
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const started = await svc.start({ subjectId: 's', sessionId: '1' });
    if (!started.ok) throw new Error(started.message);
    svc.noteSender('ble:aa', 'ws-1'); // unchanged: not written again
    svc.noteSender('ble:aa', 'ws-2');
    vi.advanceTimersByTime(12); // two periodic pairs
    const stopped = svc.stop();
    vi.useRealTimers();
    if (!stopped.ok) throw new Error(stopped.message);
    const dir = svc.sessionDir(started.value.sessionId!);
    if (!dir.ok) throw new Error(dir.message);
    const lines = readFileSync(join(dir.value, stopped.value.files.records), 'utf8').trimEnd().split('\n');
    const records = lines.map((l) => {
      const d = decodeRecordLine(l);
      if (!d.ok) throw new Error(d.error.message);
      return d.record;
    });
    const syncs = records.filter((r) => r.k === 'sync');
    expect(records[1]!.k).toBe('sync');
    expect(syncs.length).toBe(4); // start, two periodic, stop
    for (const s of syncs) if (s.k === 'sync') expect(s.spanNs).toBe(1000); // read between two monotonic readings
    expect(records.filter((r) => r.k === 'src').map((r) => (r.k === 'src' ? `${r.d} ${r.client}` : ''))).toEqual(['ble:aa ws-1', 'ble:aa ws-2']);
    expect(stopped.value.counts.samples).toBe(0);
  });
});

describe('nominal rate of a stream (regular where the device is regular)', () => {
  it('declares an ANT+ strap’s heart-rate stream at its channel rate and everything event-like as irregular', async () => {
    const { nominalSrateOf } = await import('../../../../src/main/recording/export/xdfStreams');
    // an ANT+ strap broadcasts every 8070/32768 s: pyxdf and LabRecorder readers see 4.06 Hz
    expect(nominalSrateOf('ant:120:4711', 'heart')).toBeCloseTo(4.0605, 3);
    // RR intervals are beats, Bluetooth notifications come when the radio batches them, power meters interleave pages
    expect(nominalSrateOf('ant:120:4711', 'rr')).toBe(0);
    expect(nominalSrateOf('ble:AA:BB', 'heart')).toBe(0);
    expect(nominalSrateOf('ant:11:77', 'activity')).toBe(0);
    expect(nominalSrateOf('sim:strap', 'heart')).toBe(0);
  });
});
