/**
 * Crash recovery: a session whose manifest still says `recording` was not stopped (the host was
 * killed or lost power). Recovery cuts a torn last line off each file (everything after the last
 * line whose CRC checks), rebuilds the manifest from the records, appends an `end` record with
 * reason `recovered`, and marks the manifest `recovered: true`. Nothing before the tear is touched.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readFileSync, readSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors';
import { manifestSchema, type SessionManifest } from '../../shared/recording/manifest';
import { parseSessionBaseName, sessionFileNames } from '../../shared/recording/naming';
import { checkLine, encodeRecordLine, type HeaderRecord } from '../../shared/recording/records';
import { AppendWriter } from './appendWriter';
import { ManifestBuilder, writeManifest } from './manifestBuilder';
import { readRecords } from './reader';

const TAIL_CHUNK = 64 * 1024;

/**
 * Truncate a line file after its last valid line (CRC checked); returns the bytes removed.
 * Only the tail is read, so this is fast on large files.
 */
export function repairTail(path: string): number {
  if (!existsSync(path)) return 0;
  const fd = openSync(path, 'r');
  let size: number;
  let keep: number;
  try {
    size = fstatSync(fd).size;
    keep = findValidEnd(fd, size);
  } finally {
    closeSync(fd);
  }
  if (keep < size) truncateSync(path, keep);
  return size - keep;
}

/**
 * Byte offset just after the last line that ends with `\n` and passes its CRC check. Reads a
 * window at the end of the file, doubling it until a valid line is found or the file is covered.
 */
function findValidEnd(fd: number, size: number): number {
  for (let window = Math.min(size, TAIL_CHUNK); ; window = Math.min(size, window * 2)) {
    const start = size - window;
    const data = Buffer.alloc(window);
    if (window > 0) readSync(fd, data, 0, window, start);
    // Lines wholly inside the window: after the first newline, unless the window starts the file.
    const firstLineStart = start === 0 ? 0 : data.indexOf(0x0a) + 1;
    let lineEnd = data.lastIndexOf(0x0a); // index of the newline ending the candidate line
    while (lineEnd >= 0 && (firstLineStart > 0 || start === 0) && lineEnd >= firstLineStart) {
      const prev = lineEnd > 0 ? data.lastIndexOf(0x0a, lineEnd - 1) : -1;
      const lineStart = prev + 1;
      if (lineStart < firstLineStart) break;
      const line = data.subarray(lineStart, lineEnd).toString('utf8');
      if (line.length > 0 && checkLine(line) !== null) return start + lineEnd + 1;
      lineEnd = prev;
    }
    if (window >= size) return 0;
  }
}

/** Session folders under `sessionsDir` whose manifest says `recording` (unfinished). */
export function findUnfinished(sessionsDir: string, exceptDir?: string): string[] {
  if (!existsSync(sessionsDir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(sessionsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = join(sessionsDir, entry.name);
    if (dir === exceptDir) continue;
    const manifest = readManifestIn(dir);
    if (manifest.ok && manifest.value.state === 'recording') out.push(dir);
  }
  return out;
}

/** Path of the manifest file in a session folder, or null. */
function manifestPathIn(dir: string): string | null {
  if (!existsSync(dir)) return null;
  const name = readdirSync(dir).find((f) => f.endsWith('_manifest.json'));
  return name ? join(dir, name) : null;
}

/** Read and validate the manifest of a session folder. */
export function readManifestIn(dir: string): Result<SessionManifest> {
  const path = manifestPathIn(dir);
  if (!path) return fail('REC_UNKNOWN_SESSION', `No session manifest in ${dir}.`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    return fail('REC_BAD_RECORD', `The manifest ${path} is not valid JSON (${(err as Error).message}).`);
  }
  const parsed = manifestSchema.safeParse(json);
  if (!parsed.success) return fail('REC_BAD_RECORD', `The manifest ${path} has an unexpected shape.`);
  // names read from disk are validated like ids from the UI: a session never touches a path outside its folder
  if (parseSessionBaseName(parsed.data.base) === null) {
    return fail('REC_BAD_RECORD', `The manifest ${path} names its files "${parsed.data.base.slice(0, 80)}", which is not a session name; the session was left untouched.`);
  }
  return ok(parsed.data);
}

/** Recover one unfinished session folder; returns the new manifest. */
export async function recoverSession(dir: string): Promise<Result<SessionManifest>> {
  return finishSession(dir, null);
}

/**
 * Finish a session from what is on disk: cut torn tails, rebuild the manifest from the records,
 * append the `end` record. `interruption` null: crash recovery (`recovered: true`); otherwise the
 * session ended early on a failed write and the manifest says why and how many records were lost.
 */
export async function finishSession(dir: string, interruption: { reason: string; droppedRecords: number } | null): Promise<Result<SessionManifest>> {
  const old = readManifestIn(dir);
  if (!old.ok) return old;
  const files = sessionFileNames(old.value.base);
  const recordsPath = join(dir, files.records);
  const rawPath = join(dir, files.raw);
  const repairedBytes = repairTail(recordsPath) + repairTail(rawPath);
  let header: HeaderRecord | null = null;
  const pending: Parameters<ManifestBuilder['note']>[0][] = [];
  let builder: ManifestBuilder | null = null;
  const onRecord = (r: Parameters<ManifestBuilder['note']>[0]): void => {
    if (r.k === 'header') {
      header = r;
      builder = new ManifestBuilder(r, { records: files.records, raw: files.raw });
      for (const p of pending) builder.note(p);
      return;
    }
    if (builder) builder.note(r);
    else pending.push(r);
  };
  await readRecords(recordsPath, onRecord);
  if (existsSync(rawPath)) await readRecords(rawPath, onRecord);
  if (!header || !builder) return fail('REC_BAD_RECORD', `The recording in ${dir} has no valid header; it cannot be recovered.`);
  const b: ManifestBuilder = builder;
  const endMs = b.lastRecordTMs;
  let endProblem: Error | null = null;
  const writer = new AppendWriter(recordsPath, { onError: (err) => (endProblem = err) });
  writer.append(encodeRecordLine({ k: 'end', t: endMs, reason: interruption ? 'interrupted' : 'recovered' }));
  writer.close();
  if (endProblem) void endProblem; // the end record is a courtesy: without it the file is still whole lines
  const size = (existsSync(recordsPath) ? fileSize(recordsPath) : 0) + (existsSync(rawPath) ? fileSize(rawPath) : 0);
  const manifest = b.build('complete', {
    recovered: interruption === null,
    repairedBytes,
    sizeBytes: size,
    endMs,
    interrupted: interruption?.reason ?? null,
    droppedRecords: interruption?.droppedRecords ?? 0,
  });
  const path = manifestPathIn(dir);
  if (!path) return fail('REC_UNKNOWN_SESSION', `No session manifest in ${dir}.`);
  try {
    writeManifest(path, manifest);
  } catch (err) {
    return fail('REC_IO_FAILED', `The manifest ${path} could not be written (${(err as Error).message}).`);
  }
  return ok(manifest);
}

function fileSize(path: string): number {
  const fd = openSync(path, 'r');
  try {
    return fstatSync(fd).size;
  } finally {
    closeSync(fd);
  }
}
