/**
 * XDF exports of sessions that did not end normally: a session exported while still recording
 * (its manifest does not list its devices yet), the same session after a crash left a torn last
 * line and the next start recovered it, and a recording made before clock pairs existed.
 * Guards against: crashed sessions that cannot be exported, footers that count torn records,
 * exports that change the recording, and old recordings exported without saying how they were timed.
 */
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { exportSession } from '../../../src/main/recording/export/exportSession';
import { hrNsToMs } from '../../../src/main/recording/export/xdfClock';
import { RecordingService } from '../../../src/main/recording/service';
import { SessionRecorder } from '../../../src/main/recording/sessionRecorder';
import type { Sample } from '../../../src/shared/sample';
import { FakeHub, fakeClock, tempDataDir } from '../../unit/main/recording/fakes';
import { readXdf, streamNamed, xmlText } from './xdfReader';

function beats(startMs: number, n: number): Sample[] {
  const out: Sample[] = [];
  let ticks = 1000;
  for (let i = 0; i < n; i++) {
    const rrTicks = 800 + (i % 7) * 10;
    ticks += rrTicks;
    const tMs = startMs + (ticks * 1000) / 1024 + 30 + (i % 5) * 20;
    out.push({ tMs, deviceId: 'ant:120:7', metric: 'heartRate', value: 70 + (i % 3) });
    out.push({
      tMs,
      deviceId: 'ant:120:7',
      metric: 'rrInterval',
      value: (rrTicks * 1000) / 1024,
      timing: { eventTicks: ticks % 65536, ticksPerSecond: 1024, eventCount: (i + 1) % 256, flags: 0 },
    });
  }
  return out;
}

describe('XDF export of unfinished and recovered sessions', () => {
  it('exports a session while it records, and again after a crash and recovery, with exact counts', async () => {
    const dataDir = tempDataDir('xdf-crash');
    const clock = fakeClock();
    const hub = new FakeHub();
    const hr = (): bigint => 9_000_000_000n + BigInt(Math.round(clock.now() * 1e3)) * 1000n;
    const svc = new RecordingService({ dataDir, hub, now: clock.now, hrtimeNs: hr, writer: { flushEveryMs: 60_000 } });
    const started = await svc.start({ subjectId: 's', sessionId: '1' });
    if (!started.ok) throw new Error(started.message);
    const id = started.value.sessionId!;
    const samples = beats(clock.now(), 120);
    for (const s of samples) {
      clock.advance(Math.max(0, s.tMs - clock.now()));
      hub.release([s]);
    }
    svc.marker('während');
    // Export while recording: the manifest lists no devices yet.
    const live = await svc.export(id, { formats: ['xdf'] });
    if (!live.ok) throw new Error(live.message);
    const liveXdf = readXdf(live.value.files[0]!);
    expect(streamNamed(liveXdf, 'ant:120:7 RR intervals').rows.length).toBe(120);
    expect(streamNamed(liveXdf, 'ant:120:7 heart rate').rows.length).toBe(120);
    expect(xmlText(liveXdf.fileHeaderXml, 'state')).toBe('recording');

    // Crash: the process dies mid-line; the next start recovers the session.
    const dir = svc.sessionDir(id);
    if (!dir.ok) throw new Error(dir.message);
    const recordingFile = join(dir.value, readdirSync(dir.value).find((f) => f.endsWith('_recording.jsonl'))!);
    appendFileSync(recordingFile, '{"k":"s","t":1,"d":"ant:120:7","m":"heartRa');
    const next = new RecordingService({ dataDir, hub: new FakeHub(), now: clock.now });
    const recovered = await next.recoverUnfinished();
    expect(recovered.map((m) => m.recovered)).toEqual([true]);
    const before = readFileSync(recordingFile);
    const exported = await next.export(id, { formats: ['xdf'] });
    if (!exported.ok) throw new Error(exported.message);
    expect(readFileSync(recordingFile).equals(before)).toBe(true);
    const xdf = readXdf(exported.value.files[0]!);
    expect(xmlText(xdf.fileHeaderXml, 'recovered')).toBe('true');
    const rr = streamNamed(xdf, 'ant:120:7 RR intervals');
    expect(rr.rows.map((r) => r[0])).toEqual(samples.filter((s) => s.metric === 'rrInterval').map((s) => s.value));
    expect(Number(xmlText(rr.footerXml!, 'sample_count'))).toBe(120);
    expect(rr.timestamps.every((t, i) => i === 0 || t >= rr.timestamps[i - 1]!)).toBe(true);
    const markers = streamNamed(xdf, `${recovered[0]!.base} markers`);
    expect(markers.strings.map((b) => b.toString('utf8'))).toEqual(['während']);
    svc.close();
    next.close();
  });

  it('exports a recording without clock pairs with the start pair, and says so in the file header', async () => {
    const dataDir = tempDataDir('xdf-old');
    const startMs = Date.UTC(2025, 0, 2, 3, 4, 5);
    const rec = new SessionRecorder(join(dataDir, 'sessions'), { subjectId: 'old', sessionId: '1' }, startMs);
    rec.sample({ tMs: startMs + 1000, deviceId: 'ant:120:1', metric: 'heartRate', value: 61 });
    rec.sample({ tMs: startMs + 2000, deviceId: 'ant:120:1', metric: 'heartRate', value: 62 });
    rec.stop(startMs + 3000);
    const exported = await exportSession(rec.dir, { formats: ['xdf'] });
    if (!exported.ok) throw new Error(exported.message);
    expect(exported.value.warnings.join(' ')).toMatch(/predates periodic clock pairs/);
    const xdf = readXdf(exported.value.files[0]!);
    expect(xmlText(xdf.fileHeaderXml, 'mapping')).toBe('header-start');
    expect(xmlText(xdf.fileHeaderXml, 'note')).toMatch(/single clock pair taken at the start/);
    const hr = streamNamed(xdf, 'ant:120:1 heart rate');
    const startS = hrNsToMs(rec.header.hrtimeNs)! / 1000;
    // Epoch-ms times resolve to about 0.24 µs (a double near 1.7e12), so that is the precision here.
    expect(hr.timestamps[0]! - startS).toBeCloseTo(1, 6);
    expect(hr.timestamps[1]! - hr.timestamps[0]!).toBeCloseTo(1, 6);
  });
});
