/**
 * The outbox's on-disk record: one text line per reading, `<crc32 hex8> <index> <appendedMs> <frame>\n`.
 * The CRC-32 covers everything between the first space and the newline, so a torn or bit-flipped
 * line is recognised on open. `frame` is the SUBMIT frame exactly as it goes on the wire (JSON never
 * contains a raw newline, so one line is one record).
 */
import { crc32 } from 'node:zlib';

/** One reading waiting in (or read back from) the outbox. */
export interface OutboxRecord {
  /** Position in this outbox, strictly increasing, never reused. */
  readonly index: number;
  /** When it was appended (epoch ms); the lag metric is measured from here. */
  readonly appendedMs: number;
  /** The SUBMIT frame text. */
  readonly frame: string;
  /** Bytes the record takes on disk. */
  readonly bytes: number;
}

/** Encode a record as one line (with the trailing newline). */
export function encodeRecordLine(index: number, appendedMs: number, frame: string): string {
  const body = `${index} ${Math.floor(appendedMs)} ${frame}`;
  return `${crc32(body).toString(16).padStart(8, '0')} ${body}\n`;
}

/** Why a line could not be read. */
export type RecordLineError = 'bad-crc' | 'bad-shape';

/** Decode one line (without its newline); an error names what is wrong with it. */
export function decodeRecordLine(line: string): OutboxRecord | RecordLineError {
  if (line.length < 13 || line[8] !== ' ') return 'bad-shape';
  const body = line.slice(9);
  const crc = Number.parseInt(line.slice(0, 8), 16);
  if (!Number.isFinite(crc) || crc32(body) !== crc) return 'bad-crc';
  const s1 = body.indexOf(' ');
  const s2 = s1 < 0 ? -1 : body.indexOf(' ', s1 + 1);
  if (s2 < 0) return 'bad-shape';
  const index = Number(body.slice(0, s1));
  const appendedMs = Number(body.slice(s1 + 1, s2));
  if (!Number.isSafeInteger(index) || index < 1 || !Number.isFinite(appendedMs)) return 'bad-shape';
  return { index, appendedMs, frame: body.slice(s2 + 1), bytes: Buffer.byteLength(line) + 1 };
}

/** Result of scanning a segment file's text. */
export interface SegmentScan {
  readonly records: OutboxRecord[];
  /** Bad lines in the middle of the file (skipped and counted). */
  readonly badLines: number;
  /** Byte length of the good prefix: a torn tail (unterminated or bad last line) starts here. */
  readonly goodBytes: number;
  /** Whether the file ends in a torn or corrupt tail that should be cut off. */
  readonly hasTornTail: boolean;
}

/** Scan a segment: every complete, CRC-valid line is a record; a bad or unterminated last line is a torn tail. */
export function scanSegment(text: string): SegmentScan {
  const records: OutboxRecord[] = [];
  let badLines = 0;
  let pos = 0;
  let goodBytes = 0;
  let hasTornTail = false;
  while (pos < text.length) {
    const nl = text.indexOf('\n', pos);
    if (nl < 0) {
      hasTornTail = true;
      break;
    }
    const line = text.slice(pos, nl);
    const rec = decodeRecordLine(line);
    const isLast = nl === text.length - 1;
    if (typeof rec === 'string') {
      if (isLast) {
        hasTornTail = true;
        break;
      }
      badLines++;
    } else {
      records.push(rec);
    }
    pos = nl + 1;
    goodBytes += Buffer.byteLength(line) + 1;
  }
  return { records, badLines, goodBytes, hasTornTail };
}
