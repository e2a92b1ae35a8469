import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Bytes, crc32Hex, crc32Utf8 } from '../../../../src/shared/recording/crc32';
import { CRC32_VECTORS } from './crc32.vectors';

describe('crc32', () => {
  it.each(CRC32_VECTORS)('$source: "$text"', ({ text, crc }) => {
    expect(crc32Utf8(text)).toBe(crc);
    expect(crc32Bytes(new TextEncoder().encode(text))).toBe(crc);
  });

  it('hashes the UTF-8 bytes of any string, including non-ASCII device names and lone surrogates', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (s) => {
        expect(crc32Utf8(s)).toBe(crc32Bytes(new TextEncoder().encode(s)));
      }),
    );
  });

  it('writes 8 lowercase hex digits', () => {
    expect(crc32Hex(0x414fa339)).toBe('414fa339');
    expect(crc32Hex(0x1)).toBe('00000001');
  });
});
