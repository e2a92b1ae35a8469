/**
 * XDF 1.0 chunk encoding (docs/xdf.md, "Chunk layout"): the magic code, variable-length
 * integers (one byte saying 1, 4 or 8, then the value little-endian), and the six chunk kinds —
 * FileHeader (1), StreamHeader (2), Samples (3), ClockOffset (4), Boundary (5), StreamFooter (6).
 * A chunk is [length][tag u16][content], where length counts the tag and the content. Pure
 * byte building: the caller writes the buffers.
 */

/** File magic, the first four bytes of every XDF file. */
export const XDF_MAGIC = Buffer.from('XDF:', 'latin1');

/** Chunk tags. */
export const XDF_TAG = {
  fileHeader: 1,
  streamHeader: 2,
  samples: 3,
  clockOffset: 4,
  boundary: 5,
  streamFooter: 6,
} as const;

/** The 16 bytes every Boundary chunk holds, fixed by the spec, so a reader can search for them. */
const XDF_BOUNDARY_UUID = Buffer.from([
  0x43, 0xa5, 0x46, 0xdc, 0xcb, 0xf5, 0x41, 0x0f, 0xb3, 0x0e, 0xd5, 0x46, 0x73, 0x83, 0xcb, 0xe4,
]);

/** Bytes a variable-length integer of `value` takes (1 + 1, 4 or 8). */
function varLenSize(value: number): number {
  if (value < 0x100) return 2;
  if (value <= 0xffffffff) return 5;
  return 9;
}

/** Write a variable-length integer at `offset`; returns the offset after it. */
export function writeVarLen(buf: Buffer, offset: number, value: number): number {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`XDF length ${value} is not a non-negative integer`);
  if (value < 0x100) {
    buf[offset] = 1;
    buf[offset + 1] = value;
    return offset + 2;
  }
  if (value <= 0xffffffff) {
    buf[offset] = 4;
    buf.writeUInt32LE(value, offset + 1);
    return offset + 5;
  }
  buf[offset] = 8;
  buf.writeBigUInt64LE(BigInt(value), offset + 1);
  return offset + 9;
}

/** A chunk header: [length of tag + content][tag]. */
export function chunkHeader(tag: number, contentBytes: number): Buffer {
  const length = contentBytes + 2;
  const buf = Buffer.allocUnsafe(varLenSize(length) + 2);
  const at = writeVarLen(buf, 0, length);
  buf.writeUInt16LE(tag, at);
  return buf;
}

/** FileHeader chunk with its XML. */
export function fileHeaderChunk(xml: string): Buffer {
  const body = Buffer.from(xml, 'utf8');
  return Buffer.concat([chunkHeader(XDF_TAG.fileHeader, body.length), body]);
}

/** StreamHeader or StreamFooter chunk: [stream id u32][XML]. */
export function streamXmlChunk(tag: typeof XDF_TAG.streamHeader | typeof XDF_TAG.streamFooter, streamId: number, xml: string): Buffer {
  const body = Buffer.from(xml, 'utf8');
  const head = chunkHeader(tag, 4 + body.length);
  const id = Buffer.allocUnsafe(4);
  id.writeUInt32LE(streamId, 0);
  return Buffer.concat([head, id, body]);
}

/** ClockOffset chunk: [stream id u32][collection time f64][offset value f64]. */
export function clockOffsetChunk(streamId: number, collectionTimeS: number, offsetS: number): Buffer {
  const head = chunkHeader(XDF_TAG.clockOffset, 20);
  const body = Buffer.allocUnsafe(20);
  body.writeUInt32LE(streamId, 0);
  body.writeDoubleLE(collectionTimeS, 4);
  body.writeDoubleLE(offsetS, 12);
  return Buffer.concat([head, body]);
}

/** Boundary chunk. */
export function boundaryChunk(): Buffer {
  return Buffer.concat([chunkHeader(XDF_TAG.boundary, 16), XDF_BOUNDARY_UUID]);
}

/** Bytes of a Samples chunk whose content is `contentBytes` long (header included). */
function samplesChunkBytes(contentBytes: number): number {
  return chunkHeader(XDF_TAG.samples, contentBytes).length + contentBytes;
}

/** Write a Samples chunk's header, stream id and sample count into `buf`; returns where the samples start. */
function writeSamplesPrelude(buf: Buffer, streamId: number, count: number, contentBytes: number): number {
  const head = chunkHeader(XDF_TAG.samples, contentBytes);
  head.copy(buf, 0);
  buf.writeUInt32LE(streamId, head.length);
  return writeVarLen(buf, head.length + 4, count);
}

/**
 * Samples chunk of a `double64` stream: [stream id u32][sample count varlen], then per sample
 * [8][timestamp f64][channel values f64 …]. Every sample carries its timestamp (our readings are
 * irregular, and a regular stream's reception times are worth keeping). `values` holds
 * `count * channels` numbers, sample after sample.
 */
export function numericSamplesChunk(
  streamId: number,
  timestampsS: Float64Array,
  values: Float64Array,
  count: number,
  channels: number,
): Buffer {
  const contentBytes = 4 + varLenSize(count) + count * (9 + 8 * channels);
  const buf = Buffer.allocUnsafe(samplesChunkBytes(contentBytes));
  let at = writeSamplesPrelude(buf, streamId, count, contentBytes);
  for (let i = 0; i < count; i++) {
    buf[at] = 8;
    buf.writeDoubleLE(timestampsS[i]!, at + 1);
    at += 9;
    for (let c = 0; c < channels; c++) {
      buf.writeDoubleLE(values[i * channels + c]!, at);
      at += 8;
    }
  }
  return buf;
}

/**
 * Samples chunk of a one-channel `string` stream: per sample [8][timestamp f64][byte length
 * varlen][UTF-8 bytes].
 */
export function stringSamplesChunk(streamId: number, timestampsS: readonly number[], values: readonly Buffer[]): Buffer {
  const count = values.length;
  let contentBytes = 4 + varLenSize(count);
  for (const v of values) contentBytes += 9 + varLenSize(v.length) + v.length;
  const buf = Buffer.allocUnsafe(samplesChunkBytes(contentBytes));
  let at = writeSamplesPrelude(buf, streamId, count, contentBytes);
  for (let i = 0; i < count; i++) {
    buf[at] = 8;
    buf.writeDoubleLE(timestampsS[i]!, at + 1);
    at = writeVarLen(buf, at + 9, values[i]!.length);
    values[i]!.copy(buf, at);
    at += values[i]!.length;
  }
  return buf;
}

/** Characters XML 1.0 cannot hold at all (C0 controls but tab, newline and CR; U+FFFE, U+FFFF) become U+FFFD. */
function stripXmlInvalid(text: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || c === 0xfffe || c === 0xffff) {
      out += `${text.slice(from, i)}\ufffd`;
      from = i + 1;
    }
  }
  return from === 0 ? text : out + text.slice(from);
}

/** Escape text for XML element content and attribute values. */
export function xmlEscape(text: string): string {
  return stripXmlInvalid(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

/** `<name>value</name>` with the value escaped. */
export function xmlElement(name: string, value: string | number): string {
  return `<${name}>${xmlEscape(String(value))}</${name}>`;
}
