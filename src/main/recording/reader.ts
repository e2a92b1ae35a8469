/**
 * Reads a record file line by line in 1 MiB chunks (so hour-long sessions do not need to fit in
 * memory), checks each line's CRC and shape, and hands valid records to a callback. Bad lines are
 * counted and reported with their line numbers, never silently dropped from the tally.
 */
import { open } from 'node:fs/promises';
import { decodeRecordLine, type SessionRecord } from '../../shared/recording/records';
import type { ErrorCode } from '../../shared/errors';

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
}

/** Options of {@link readRecords}. */
export interface ReadOptions {
  /** Called after each chunk with bytes read so far and the file size. */
  readonly onProgress?: (bytesRead: number, totalBytes: number) => void;
  readonly chunkBytes?: number;
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
    let position = 0;
    let lineNumber = 0;
    let records = 0;
    let badLines = 0;
    const firstBadLines: BadLine[] = [];
    for (;;) {
      const { bytesRead } = await file.read(chunk, 0, chunk.length, position);
      if (bytesRead === 0) break;
      position += bytesRead;
      const data = carry.length > 0 ? Buffer.concat([carry, chunk.subarray(0, bytesRead)]) : chunk.subarray(0, bytesRead);
      const lastNl = data.lastIndexOf(0x0a);
      if (lastNl < 0) {
        carry = Buffer.from(data);
        continue;
      }
      const text = data.subarray(0, lastNl).toString('utf8');
      carry = Buffer.from(data.subarray(lastNl + 1));
      for (const line of text.split('\n')) {
        lineNumber++;
        if (line.length === 0) continue;
        const decoded = decodeRecordLine(line);
        if (decoded.ok) {
          records++;
          onRecord(decoded.record);
        } else {
          badLines++;
          if (firstBadLines.length < 10) firstBadLines.push({ lineNumber, ...decoded.error });
        }
      }
      options.onProgress?.(position, totalBytes);
    }
    return { records, badLines, firstBadLines, tailBytes: carry.length, totalBytes };
  } finally {
    await file.close();
  }
}
