/**
 * Session view benchmark: opening the generated 1-hour, 20-device session in the session view
 * (read through the recording reader, index built, whole-session query at 1200 pixel buckets for
 * every device, JSON for the contract) against reading and CRC-checking the same file once, in
 * the same run; then a zoomed query and a re-open from the in-memory index.
 * Prints numbers only; nothing passes or fails on time.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { readRecords } from '../src/main/recording/reader';
import { readManifestIn } from '../src/main/recording/recovery';
import { SessionViewer, type SessionSource } from '../src/main/recording/view/sessionViewer';
import { ok } from '../src/shared/errors';
import { generateSession } from './recording';

function seconds(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e9;
}

/** Run the session view benchmark. */
export async function main(): Promise<void> {
  const root = mkdtempSync(join(tmpdir(), 'sr-bench-view-'));
  try {
    const session = generateSession(root, 1);
    const id = basename(session.dir);
    console.log(`Session view of a 1-hour, 20-device session (${session.samples.toLocaleString('en')} samples, ${(session.bytes / 1e6).toFixed(1)} MB)`);
    const source: SessionSource = {
      sessionForReading: (sessionId) => {
        const dir = join(root, sessionId);
        const manifest = readManifestIn(dir);
        return manifest.ok ? ok({ dir, manifest: manifest.value, isLive: false }) : manifest;
      },
    };
    let t = process.hrtime.bigint();
    await readRecords(join(session.dir, `${id}_recording.jsonl`), () => undefined);
    const readS = seconds(t);

    const viewer = new SessionViewer(source);
    t = process.hrtime.bigint();
    const opened = await viewer.view({ sessionId: id, buckets: 1200 });
    if (!opened.ok) throw new Error(opened.message);
    const bytes = JSON.stringify(opened.value).length;
    const openS = seconds(t);

    t = process.hrtime.bigint();
    const zoomed = await viewer.view({ sessionId: id, buckets: 1200, fromMs: 1_800_000, toMs: 1_860_000 });
    if (!zoomed.ok) throw new Error(zoomed.message);
    const zoomBytes = JSON.stringify(zoomed.value).length;
    const zoomS = seconds(t);

    t = process.hrtime.bigint();
    const again = await viewer.view({ sessionId: id, buckets: 1200 });
    if (!again.ok) throw new Error(again.message);
    JSON.stringify(again.value);
    const againS = seconds(t);

    const points = opened.value.series.reduce((n, s) => n + s.tMs.length, 0);
    console.log(`  open (read, index, whole-session query, JSON) ${openS.toFixed(2).padStart(8)} s  (${opened.value.series.length} series, ${points.toLocaleString('en')} points, ${(bytes / 1e6).toFixed(1)} MB JSON)`);
    console.log(`  read + CRC-check the recording once          ${readS.toFixed(2).padStart(8)} s  (baseline, same run)`);
    console.log(`  ratio open/baseline: ${(openS / readS).toFixed(2)}`);
    console.log(`  zoom to one minute (exact readings)          ${(zoomS * 1000).toFixed(0).padStart(8)} ms (${(zoomBytes / 1e3).toFixed(0)} kB JSON)`);
    console.log(`  re-open from the in-memory index             ${(againS * 1000).toFixed(0).padStart(8)} ms`);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('sessionView.ts')) void main();
