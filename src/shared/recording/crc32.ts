/**
 * CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320, init and final XOR 0xFFFFFFFF — the zlib/PNG
 * CRC) of a string's UTF-8 bytes, computed without building the byte array. Every record line ends
 * with it so a torn or corrupted line is detectable.
 */

const TABLE: Uint32Array = buildTable();

function buildTable(): Uint32Array {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

function step(crc: number, byte: number): number {
  return TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
}

/** CRC-32 of raw bytes. */
export function crc32Bytes(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = step(crc, bytes[i]!);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of the UTF-8 encoding of `text` (lone surrogates encode as U+FFFD, like TextEncoder). */
export function crc32Utf8(text: string): number {
  let crc = 0xffffffff;
  for (let i = 0; i < text.length; i++) {
    let cp = text.charCodeAt(i);
    if (cp < 0x80) {
      crc = step(crc, cp);
      continue;
    }
    if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < text.length) {
      const lo = text.charCodeAt(i + 1);
      if (lo >= 0xdc00 && lo <= 0xdfff) {
        cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
        i++;
      } else cp = 0xfffd;
    } else if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
    if (cp < 0x800) {
      crc = step(crc, 0xc0 | (cp >> 6));
      crc = step(crc, 0x80 | (cp & 0x3f));
    } else if (cp < 0x10000) {
      crc = step(crc, 0xe0 | (cp >> 12));
      crc = step(crc, 0x80 | ((cp >> 6) & 0x3f));
      crc = step(crc, 0x80 | (cp & 0x3f));
    } else {
      crc = step(crc, 0xf0 | (cp >> 18));
      crc = step(crc, 0x80 | ((cp >> 12) & 0x3f));
      crc = step(crc, 0x80 | ((cp >> 6) & 0x3f));
      crc = step(crc, 0x80 | (cp & 0x3f));
    }
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 as 8 lowercase hex digits. */
export function crc32Hex(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
