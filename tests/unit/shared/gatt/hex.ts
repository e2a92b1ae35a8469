/** Test helpers: hex strings to DataViews (placed at a non-zero byteOffset to catch offset bugs). */

/** Parse "10 43 72 03" (spaces optional) into bytes. */
export function hexBytes(hex: string): Uint8Array {
  const clean = hex.replace(/\s+/g, '');
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/** A DataView over `bytes` that starts 3 bytes into a larger buffer filled with 0xEE. */
export function offsetView(bytes: Uint8Array): DataView {
  const buf = new Uint8Array(bytes.length + 6).fill(0xee);
  buf.set(bytes, 3);
  return new DataView(buf.buffer, 3, bytes.length);
}

/** Hex form of bytes, e.g. "10 43 72 03". */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0').toUpperCase()).join(' ');
}
