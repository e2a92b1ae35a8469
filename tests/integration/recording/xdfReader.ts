/**
 * An independent XDF 1.0 reader for tests, written from the spec (docs/xdf.md) and not from our
 * writer: it walks every chunk, checks the structure strictly (magic, length-prefix widths, tags,
 * that lengths land exactly on the next chunk, Boundary UUIDs, stream ids declared before use,
 * sample counts) and decodes headers, samples (double64 and string), clock offsets and footers.
 */
import { readFileSync } from 'node:fs';

/** One stream as read back. */
export interface ReadStream {
  readonly id: number;
  headerXml: string;
  footerXml: string | null;
  format: string;
  channelCount: number;
  readonly timestamps: number[];
  /** Numeric streams: one array per sample. */
  readonly rows: number[][];
  /** String streams: the raw UTF-8 bytes of each sample. */
  readonly strings: Buffer[];
  readonly clockOffsets: { collectionS: number; offsetS: number }[];
}

/** The whole file. */
export interface ReadXdf {
  readonly fileHeaderXml: string;
  readonly streams: Map<number, ReadStream>;
  /** Tag of every chunk in file order. */
  readonly tags: number[];
  /** Byte offsets of the Boundary chunks. */
  readonly boundaryOffsets: number[];
  readonly size: number;
}

const BOUNDARY = Buffer.from('43a546dccbf5410fb30ed5467383cbe4', 'hex');

function varLen(buf: Buffer, at: number): { value: number; next: number } {
  const width = buf[at];
  if (width === 1) return { value: buf[at + 1]!, next: at + 2 };
  if (width === 4) return { value: buf.readUInt32LE(at + 1), next: at + 5 };
  if (width === 8) return { value: Number(buf.readBigUInt64LE(at + 1)), next: at + 9 };
  throw new Error(`bad NumLengthBytes ${width} at byte ${at}`);
}

/** Text of the first `<name>` element in an XML string (entities decoded). */
export function xmlText(xml: string, name: string): string | null {
  const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml);
  return m ? decodeEntities(m[1]!) : null;
}

/** Texts of every `<name>` element inside `<channels>`. */
export function channelValues(xml: string, name: string): string[] {
  const channels = /<channels>(.*)<\/channels>/s.exec(xml)?.[1] ?? '';
  return [...channels.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => decodeEntities(m[1]!));
}

function decodeEntities(s: string): string {
  return s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&amp;/g, '&');
}

/** Read and check a file; throws on any structural error. */
export function readXdf(path: string): ReadXdf {
  const buf = readFileSync(path);
  if (buf.subarray(0, 4).toString('latin1') !== 'XDF:') throw new Error('missing XDF: magic');
  const streams = new Map<number, ReadStream>();
  const tags: number[] = [];
  const boundaryOffsets: number[] = [];
  let fileHeaderXml: string | null = null;
  let at = 4;
  while (at < buf.length) {
    const start = at;
    const len = varLen(buf, at);
    const end = len.next + len.value;
    if (len.value < 2 || end > buf.length) throw new Error(`chunk at ${start} runs past the end (${len.value} bytes)`);
    const tag = buf.readUInt16LE(len.next);
    const body = buf.subarray(len.next + 2, end);
    tags.push(tag);
    if (tags.length === 1 && tag !== 1) throw new Error('first chunk is not the FileHeader');
    const streamOf = (create: boolean): ReadStream => {
      const id = body.readUInt32LE(0);
      let s = streams.get(id);
      if (!s && create) {
        s = { id, headerXml: '', footerXml: null, format: '', channelCount: 0, timestamps: [], rows: [], strings: [], clockOffsets: [] };
        streams.set(id, s);
      }
      if (!s) throw new Error(`chunk tag ${tag} at ${start} for undeclared stream ${id}`);
      return s;
    };
    switch (tag) {
      case 1:
        if (fileHeaderXml !== null) throw new Error('second FileHeader');
        fileHeaderXml = body.toString('utf8');
        break;
      case 2: {
        if (streams.has(body.readUInt32LE(0))) throw new Error('stream declared twice');
        const s = streamOf(true);
        s.headerXml = body.subarray(4).toString('utf8');
        s.format = xmlText(s.headerXml, 'channel_format') ?? '';
        s.channelCount = Number(xmlText(s.headerXml, 'channel_count'));
        break;
      }
      case 3: {
        const s = streamOf(false);
        const n = varLen(body, 4);
        let p = n.next;
        for (let i = 0; i < n.value; i++) {
          const tsBytes = body[p]!;
          if (tsBytes !== 8) throw new Error(`sample without its own timestamp in stream ${s.id}`);
          s.timestamps.push(body.readDoubleLE(p + 1));
          p += 9;
          if (s.format === 'double64') {
            const row: number[] = [];
            for (let c = 0; c < s.channelCount; c++, p += 8) row.push(body.readDoubleLE(p));
            s.rows.push(row);
          } else if (s.format === 'string') {
            for (let c = 0; c < s.channelCount; c++) {
              const l = varLen(body, p);
              s.strings.push(Buffer.from(body.subarray(l.next, l.next + l.value)));
              p = l.next + l.value;
            }
          } else throw new Error(`unexpected channel format ${s.format}`);
        }
        if (p !== body.length) throw new Error(`Samples chunk of stream ${s.id} has ${body.length - p} extra bytes`);
        break;
      }
      case 4: {
        if (body.length !== 20) throw new Error('ClockOffset chunk is not 20 bytes');
        streamOf(false).clockOffsets.push({ collectionS: body.readDoubleLE(4), offsetS: body.readDoubleLE(12) });
        break;
      }
      case 5:
        if (!body.equals(BOUNDARY)) throw new Error(`Boundary chunk at ${start} has a wrong UUID`);
        boundaryOffsets.push(start);
        break;
      case 6: {
        const s = streamOf(false);
        if (s.footerXml !== null) throw new Error('second StreamFooter');
        s.footerXml = body.subarray(4).toString('utf8');
        break;
      }
      default:
        throw new Error(`unknown chunk tag ${tag} at ${start}`);
    }
    at = end;
  }
  if (fileHeaderXml === null) throw new Error('no FileHeader');
  return { fileHeaderXml, streams, tags, boundaryOffsets, size: buf.length };
}

/** The stream whose `<name>` is `name`, or throws. */
export function streamNamed(xdf: ReadXdf, name: string): ReadStream {
  for (const s of xdf.streams.values()) if (xmlText(s.headerXml, 'name') === name) return s;
  throw new Error(`no stream named ${name}; have ${[...xdf.streams.values()].map((s) => xmlText(s.headerXml, 'name')).join(', ')}`);
}

/**
 * Resynchronise in a damaged file as the spec intends: search forward from `from` for the
 * Boundary UUID and return the offset of the chunk right after it (or null when none follows).
 */
export function nextChunkAfterBoundary(buf: Buffer, from: number): number | null {
  const at = buf.indexOf(BOUNDARY, from);
  return at < 0 ? null : at + BOUNDARY.length;
}

/** Tags of the chunks from `at` to the end; throws when a length does not land on the next chunk. */
export function chunkTagsFrom(buf: Buffer, at: number): number[] {
  const tags: number[] = [];
  while (at < buf.length) {
    const len = varLen(buf, at);
    if (len.value < 2 || len.next + len.value > buf.length) throw new Error(`chunk at ${at} runs past the end`);
    tags.push(buf.readUInt16LE(len.next));
    at = len.next + len.value;
  }
  return tags;
}
