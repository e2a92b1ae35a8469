/**
 * ANT+ data pages as data: each page is a table of fields (byte offset, width, optional bit range and
 * byte order), read and written by the two functions below. Page bytes are 0–7 (frame bytes 4–11);
 * multi-byte values are little-endian except where a field says `be` (bicycle-power CTF, §5.4).
 */

/** How a field is stored. */
export type FieldType = 'u8' | 'u16' | 'u16be' | 'u24' | 'i16';

/** One field of a page. */
export interface PageField {
  readonly name: string;
  /** Page byte (0–7) where the field starts. */
  readonly byte: number;
  readonly type: FieldType;
  /** For bit fields: lowest bit and width inside the (first) byte. */
  readonly shift?: number;
  readonly width?: number;
}

/** Field layout of one page. */
export type PageLayout = readonly PageField[];

/** Bytes of every ANT+ data page. */
const PAGE_BYTES = 8;

/**
 * Read every field of `layout` from the 8 page bytes at `page[offset…]`; null when fewer than 8 bytes are there
 * (a short page is rejected whole, never decoded into undefined fields or the frame's checksum byte). Fields are
 * written into `into` when given (one object per page however many layouts it combines).
 */
export function readPageFields(page: Uint8Array, layout: PageLayout, offset = 0, into?: Record<string, number>): Record<string, number> | null {
  if (offset < 0 || page.length - offset < PAGE_BYTES) return null;
  const out: Record<string, number> = into ?? {};
  for (const f of layout) out[f.name] = readField(page, offset + f.byte, f);
  return out;
}

/** Write `values` into a fresh 8-byte page (fields not given are left 0xFF when `fill` says so). */
export function writePageFields(layout: PageLayout, values: Readonly<Record<string, number | undefined>>, fill = 0xff): Uint8Array {
  const page = new Uint8Array(8).fill(fill);
  const touched = new Set<number>();
  for (const f of layout) {
    const v = values[f.name];
    if (v === undefined) continue;
    if (f.width !== undefined && !touched.has(f.byte)) {
      page[f.byte] = 0;
      touched.add(f.byte);
    }
    writeField(page, f, Math.round(v));
  }
  return page;
}

function readField(b: Uint8Array, i: number, f: PageField): number {
  switch (f.type) {
    case 'u8':
      return f.width === undefined ? b[i]! : (b[i]! >> (f.shift ?? 0)) & ((1 << f.width) - 1);
    case 'u16':
      return b[i]! | (b[i + 1]! << 8);
    case 'u16be':
      return (b[i]! << 8) | b[i + 1]!;
    case 'u24':
      return b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16);
    case 'i16':
      return ((b[i]! | (b[i + 1]! << 8)) << 16) >> 16;
  }
}

function writeField(b: Uint8Array, f: PageField, v: number): void {
  const i = f.byte;
  switch (f.type) {
    case 'u8':
      if (f.width === undefined) b[i] = v & 0xff;
      else {
        const mask = ((1 << f.width) - 1) << (f.shift ?? 0);
        b[i] = (b[i]! & ~mask) | ((v << (f.shift ?? 0)) & mask);
      }
      return;
    case 'u16':
    case 'i16':
      b[i] = v & 0xff;
      b[i + 1] = (v >> 8) & 0xff;
      return;
    case 'u16be':
      b[i] = (v >> 8) & 0xff;
      b[i + 1] = v & 0xff;
      return;
    case 'u24':
      b[i] = v & 0xff;
      b[i + 1] = (v >> 8) & 0xff;
      b[i + 2] = (v >> 16) & 0xff;
      return;
  }
}

/** Difference `cur - prev` modulo `2^bits` (counter rollover). */
export function rolloverDelta(cur: number, prev: number, bits: number): number {
  const m = 2 ** bits;
  return (((cur - prev) % m) + m) % m;
}
