/**
 * Recording benchmarks:
 * 1. append throughput of the recorder with its durability policy (JSON line + CRC-32, buffered,
 *    written by the 1 MiB / 500 ms policy, fdatasync once per second of data: here one second of a
 *    200-device class at 4 Hz = 800 samples per sync), against a bare append of the same bytes to
 *    the same disk without any sync, same run; the recorder without syncing is printed too;
 * 2. export time (CSV long + events, CSV wide, FIT, manifest) of a generated 1-hour, 20-device
 *    session, against reading and CRC-checking the same file once (same run).
 * Prints numbers only; nothing passes or fails on time.
 */
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSession } from '../src/main/recording/export/exportSession';
import { readRecords } from '../src/main/recording/reader';
import { SessionRecorder } from '../src/main/recording/sessionRecorder';
import { encodeRecordLine, type SampleRecord } from '../src/shared/recording/records';
import type { Sample } from '../src/shared/sample';
import { measure, rate, report } from './harness';

const BATCH = 10_000;

function makeSamples(n: number, t0: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < n; i++) {
    out.push(
      i % 3 === 0
        ? { tMs: t0 + i * 0.731, deviceId: `ant:120:${1000 + (i % 20)}`, metric: 'rrInterval', value: 600 + (i % 300) / 1.024, timing: { eventTicks: (i * 613) % 65536, ticksPerSecond: 1024, eventCount: i % 256 } }
        : { tMs: t0 + i * 0.731, deviceId: `ant:11:${2000 + (i % 20)}`, metric: 'power', value: 150 + (i % 200) },
    );
  }
  return out;
}

/** Samples of one second of a 200-device class at 4 Hz: one fdatasync per this many under the policy. */
const SAMPLES_PER_SECOND = 800;

function throughput(dir: string): void {
  const t0 = Date.UTC(2026, 0, 1);
  const samples = makeSamples(BATCH, t0);
  const secondOf = (i: number): Sample[] => samples.slice((i * SAMPLES_PER_SECOND) % (BATCH - SAMPLES_PER_SECOND), ((i * SAMPLES_PER_SECOND) % (BATCH - SAMPLES_PER_SECOND)) + SAMPLES_PER_SECOND);
  const seconds = Array.from({ length: 12 }, (_, i) => secondOf(i));
  let n = 0;
  const rec = new SessionRecorder(join(dir, 'tp'), { subjectId: 'bench', sessionId: 'tp' }, t0);
  const synced = measure('recorder, durability policy (fdatasync/s)', SAMPLES_PER_SECOND, () => {
    for (const s of seconds[n++ % seconds.length]!) rec.sample(s);
    rec.sync();
  });
  rec.stop(t0);
  const loose = new SessionRecorder(join(dir, 'tp-nosync'), { subjectId: 'bench', sessionId: 'nosync' }, t0, { syncEveryMs: 0 });
  const unsynced = measure('recorder, write only (no fdatasync)', SAMPLES_PER_SECOND, () => {
    for (const s of seconds[n++ % seconds.length]!) loose.sample(s);
    loose.flush();
  });
  loose.stop(t0);
  const chunks = seconds.map((sec) =>
    Buffer.from(sec.map((s) => encodeRecordLine({ k: 's', t: s.tMs, d: s.deviceId, m: s.metric, v: s.value, ...(s.timing ? { ti: s.timing as SampleRecord['ti'] } : {}) })).join(''), 'utf8'),
  );
  const fd = openSync(join(dir, 'bare.jsonl'), 'a');
  const bare = measure('bare append of the same bytes (writeSync)', SAMPLES_PER_SECOND, () => {
    writeSync(fd, chunks[n++ % chunks.length]!);
  });
  closeSync(fd);
  report('Recording throughput with the durability policy (samples/s)', synced, bare);
  report('Recording throughput without fdatasync (samples/s)', unsynced, bare);
  console.log(`  ratio policy/write-only: ${(synced.opsPerSecond / unsynced.opsPerSecond).toFixed(3)} (the cost of the fdatasync per second)`);
  console.log(`  average line: ${(chunks[0]!.length / SAMPLES_PER_SECOND).toFixed(0)} bytes; the policy needs ${SAMPLES_PER_SECOND} samples/s for a 200-device class`);
}

/** Generate a session of `hours` with 10 HR straps (HR 1 Hz + RR per beat) and 10 bikes (power, cadence, speed, distance at 4 Hz). */
export function generateSession(dir: string, hours: number): { dir: string; samples: number; bytes: number; seconds: number } {
  const t0 = Date.UTC(2026, 0, 1, 9);
  const participants = Array.from({ length: 10 }, (_, i) => ({ id: `p${i + 1}`, deviceIds: [`ant:120:${100 + i}`, `ant:11:${200 + i}`] }));
  const started = process.hrtime.bigint();
  const rec = new SessionRecorder(dir, { subjectId: 'gym', sessionId: 'hour', participants }, t0);
  let n = 0;
  const beatAt = new Array<number>(10).fill(0);
  const beatTicks = new Array<number>(10).fill(0);
  const totalS = hours * 3600;
  for (let s = 0; s < totalS; s++) {
    for (let q = 0; q < 4; q++) {
      const t = t0 + s * 1000 + q * 250;
      for (let b = 0; b < 10; b++) {
        const id = `ant:11:${200 + b}`;
        const tb = t + b * 3.1;
        rec.sample({ tMs: tb, deviceId: id, metric: 'power', value: 150 + ((s + b * 7) % 120) });
        rec.sample({ tMs: tb, deviceId: id, metric: 'cadence', value: 80 + ((s + b) % 15) });
        rec.sample({ tMs: tb, deviceId: id, metric: 'speed', value: 8 + ((s + q) % 30) / 10 });
        rec.sample({ tMs: tb, deviceId: id, metric: 'distance', value: s * 8.5 + q * 2.1 });
        n += 4;
      }
    }
    for (let h = 0; h < 10; h++) {
      const id = `ant:120:${100 + h}`;
      const bpm = 110 + 40 * Math.sin((s + h * 30) / 120);
      rec.sample({ tMs: t0 + s * 1000 + h * 5, deviceId: id, metric: 'heartRate', value: Math.round(bpm) });
      n++;
      while (beatAt[h]! < (s + 1) * 1000) {
        const rrTicks = Math.round((60 * 1024) / bpm);
        beatTicks[h] = (beatTicks[h]! + rrTicks) % 65536;
        beatAt[h] = beatAt[h]! + (rrTicks * 1000) / 1024;
        rec.sample({ tMs: t0 + beatAt[h]!, deviceId: id, metric: 'rrInterval', value: (rrTicks * 1000) / 1024, timing: { eventTicks: beatTicks[h], ticksPerSecond: 1024, eventCount: n % 256 } });
        n++;
      }
    }
  }
  rec.stop(t0 + totalS * 1000);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const path = join(rec.dir, `${rec.header.base}_recording.jsonl`);
  return { dir: rec.dir, samples: n, bytes: statSync(path).size, seconds };
}

async function exportTime(dir: string): Promise<void> {
  const session = generateSession(dir, 1);
  console.log(
    `Generated a 1-hour, 20-device session: ${session.samples.toLocaleString('en')} samples, ` +
      `${(session.bytes / 1e6).toFixed(1)} MB, recorded in ${session.seconds.toFixed(1)} s (${rate(session.samples / session.seconds)})`,
  );
  const base = session.dir.split('/').pop()!;
  let t = process.hrtime.bigint();
  await readRecords(join(session.dir, `${base}_recording.jsonl`), () => undefined);
  const readS = Number(process.hrtime.bigint() - t) / 1e9;
  t = process.hrtime.bigint();
  const result = await exportSession(session.dir, { outDir: join(dir, 'export'), formats: ['csv-long', 'csv-wide', 'fit', 'manifest'] });
  const exportS = Number(process.hrtime.bigint() - t) / 1e9;
  if (!result.ok) throw new Error(result.message);
  console.log('Export of a 1-hour, 20-device session (CSV long + events, CSV wide ×10, FIT ×10, manifest)');
  console.log(`  export, CSV + FIT + manifest                ${exportS.toFixed(2).padStart(8)} s  (${result.value.files.length} files)`);
  console.log(`  read + CRC-check the recording once         ${readS.toFixed(2).padStart(8)} s  (baseline, same run)`);
  console.log(`  ratio export/baseline: ${(exportS / readS).toFixed(2)}`);
}

/** Run the recording benchmarks. */
export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sr-bench-rec-'));
  try {
    throughput(dir);
    console.log('');
    await exportTime(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('recording.ts')) void main();
