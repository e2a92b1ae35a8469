/** CRC-32 (IEEE) check values: the "check" value of the CRC catalogue (reveng, CRC-32/ISO-HDLC) and zlib outputs. */
export const CRC32_VECTORS: readonly { text: string; crc: number; source: string }[] = [
  { text: '', crc: 0x00000000, source: 'definition: empty input' },
  { text: '123456789', crc: 0xcbf43926, source: 'reveng catalogue CRC-32/ISO-HDLC check value' },
  { text: 'The quick brown fox jumps over the lazy dog', crc: 0x414fa339, source: 'zlib.crc32 output' },
  { text: 'a', crc: 0xe8b7be43, source: 'zlib.crc32 output' },
];
