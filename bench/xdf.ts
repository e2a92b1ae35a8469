/**
 * XDF export benchmark: the bench's generated 1-hour, 20-device session (bench/recording.ts)
 * exported to XDF, against reading and CRC-checking the same recording once (same run), with the
 * heap high-water mark of each (the export streams: its memory must not grow with the session).
 * Prints numbers only; nothing passes or fails on time.
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportSession } from '../src/main/recording/export/exportSession';
import { readRecords } from '../src/main/recording/reader';
import { generateSession } from './recording';

function heapMb(): number {
  return process.memoryUsage().heapUsed / 1e6;
}

/** Run the XDF benchmark. */
export async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'sr-bench-xdf-'));
  try {
    const session = generateSession(dir, 1);
    const base = session.dir.split('/').pop()!;
    console.log(`Generated a 1-hour, 20-device session: ${session.samples.toLocaleString('en')} samples, ${(session.bytes / 1e6).toFixed(1)} MB`);
    globalThis.gc?.();
    let peakRead = heapMb();
    let t = process.hrtime.bigint();
    await readRecords(join(session.dir, `${base}_recording.jsonl`), () => undefined, { onProgress: () => (peakRead = Math.max(peakRead, heapMb())) });
    const readS = Number(process.hrtime.bigint() - t) / 1e9;
    globalThis.gc?.();
    let peakExport = heapMb();
    t = process.hrtime.bigint();
    const result = await exportSession(session.dir, {
      outDir: join(dir, 'export'),
      formats: ['xdf'],
      onProgress: () => (peakExport = Math.max(peakExport, heapMb())),
    });
    const exportS = Number(process.hrtime.bigint() - t) / 1e9;
    if (!result.ok) throw new Error(result.message);
    const xdfBytes = statSync(result.value.files[0]!).size;
    console.log('XDF export of a 1-hour, 20-device session');
    console.log(`  export to XDF                               ${exportS.toFixed(2).padStart(8)} s  (${(xdfBytes / 1e6).toFixed(1)} MB, heap peak ${peakExport.toFixed(0)} MB)`);
    console.log(`  read + CRC-check the recording once         ${readS.toFixed(2).padStart(8)} s  (baseline, same run; heap peak ${peakRead.toFixed(0)} MB)`);
    console.log(`  ratio export/baseline: ${(exportS / readS).toFixed(2)}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('xdf.ts')) void main();
