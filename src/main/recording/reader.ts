/**
 * Reads a record file line by line in 1 MiB chunks (so hour-long sessions do not need to fit in
 * memory), checks each line's CRC and shape, and hands valid records to a callback. Bad lines are
 * counted and reported with their line numbers, never silently dropped from the tally.
 */
import { open } from 'node:fs/promises';
import * as zlib from 'node:zlib';
import { appError, type AppError, type ErrorCode } from '../../shared/errors';
import { crc32Bytes } from '../../shared/recording/crc32';
import { decodeRecordJson, type SessionRecord } from '../../shared/recording/records';

/** A line that failed its CRC or shape check. */
export interface BadLine {
  readonly lineNumber: number;
  readonly code: ErrorCode;
  readonly message: string;
}

/** What a read found. */
export interface ReadSummary {
  readonly records: number;
  readonly badLines: number;
  /** The first few bad lines, for the message shown to the user. */
  readonly firstBadLines: readonly BadLine[];
  /** Bytes after the last newline (a torn tail), not counted as a line. */
  readonly tailBytes: number;
  readonly totalBytes: number;
  /** Offset just after the last complete line: where a later read of a growing file continues. */
  readonly endByte: number;
  /** Lines counted so far (the next read's `startLineNumber`). */
  readonly lineCount: number;
}

/** Options of {@link readRecords}. */
export interface ReadOptions {
  /** Called after each chunk with bytes read so far and the file size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  readonly chunkBytes?: number;
  /** Start reading at this byte offset (the start of a line: a previous read's `endByte`). */
  readonly startByte?: number;
  /** Lines before `startByte`, so bad lines keep their line numbers. */
  readonly startLineNumber?: number;
}

/** Node's native CRC-32 (Node 20.15+, 22.2+), else the portable one. */
const crc32: (bytes: Uint8Array) => number =
  typeof (zlib as { crc32?: unknown }).crc32 === 'function'
    ? (bytes) => (zlib as unknown as { crc32(b: Uint8Array): number }).crc32(bytes) >>> 0
    : crc32Bytes;

const TAB = 0x09;
const CR = 0x0d;
const TORN: AppError = appError('REC_TORN_RECORD', 'record line is torn or its CRC does not match');

function hexDigit(byte: number): number {
  if (byte >= 0x30 && byte <= 0x39) return byte - 0x30;
  if (byte >= 0x61 && byte <= 0x66) return byte - 0x57;
  return -1;
}

/**
 * Check one line `data[start, end)` (without `\n`, an optional `\r` is ignored): the JSON text,
 * a tab and the CRC-32 of the text's UTF-8 bytes in 8 lowercase hex digits — the same rule as
 * `checkLine`, computed on the bytes as read (no re-encoding). Returns the JSON text or an error.
 */
function checkLineBytes(data: Buffer, start: number, end: number): string | AppError {
  if (end > start && data[end - 1] === CR) end--;
  const tab = end - 9;
  if (tab < start || data[tab] !== TAB) return TORN;
  let expected = 0;
  for (let i = tab + 1; i < end; i++) {
    const d = hexDigit(data[i]!);
    if (d < 0) return TORN;
    expected = expected * 16 + d;
  }
  if (crc32(data.subarray(start, tab)) !== expected) return TORN;
  return data.toString('utf8', start, tab);
}


/** Read every valid record of a file in order. */
export async function readRecords(
  path: string,
  onRecord: (record: SessionRecord) => void,
  options: ReadOptions = {},
): Promise<ReadSummary> {
  const file = await open(path, 'r');
  try {
    const totalBytes = (await file.stat()).size;
    const chunk = Buffer.alloc(options.chunkBytes ?? 1 << 20);
    let carry: Buffer = Buffer.alloc(0);
    let position = options.startByte ?? 0;
    let lineNumber = options.startLineNumber ?? 0;
    let records = 0;
    let badLines = 0;
    const firstBadLines: BadLine[] = [];
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      let lineStart = 0;
      for (let nl = data.indexOf(0x0a, lineStart); nl >= 0; nl = data.indexOf(0x0a, lineStart)) {
        lineNumber++;
        const start = lineStart;
        lineStart = nl + 1;
        if (nl === start || (nl === start + 1 && data[start] === CR)) continue;
        const json = checkLineBytes(data, start, nl);
        const decoded = typeof json === 'string' ? decodeRecordJson(json) : { ok: false as const, error: json };
        if (decoded.ok) {
          records++;
          onRecord(decoded.record);
        } else {
          badLines++;
          if (firstBadLines.length < 10) firstBadLines.push({ lineNumber, ...decoded.error });
        }
      }
      carry = Buffer.from(data.subarray(lineStart));
      options.onProgress?.(position, totalBytes);
    }
    return { records, badLines, firstBadLines, tailBytes: carry.length, totalBytes, endByte: position - carry.length, lineCount: lineNumber };
  } finally {
    await file.close();
  }
}
