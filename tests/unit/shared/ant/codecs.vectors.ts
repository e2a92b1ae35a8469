/**
 * Byte vectors of docs/ant-plus.md (section named in each `source`): hex in, expected fields out.
 */

/** A whole-frame vector. */
export interface FrameVector {
  readonly id: string;
  readonly hex: string;
  readonly msgId: number;
  readonly payloadHex: string;
  readonly source: string;
}

/** Frames with correct checksums, including a 0xFF checksum (legal). */
export const FRAME_VECTORS: readonly FrameVector[] = [
  { id: 'reset', hex: 'A4 01 4A 00 EF', msgId: 0x4a, payloadHex: '00', source: '§1.1' },
  { id: 'hr broadcast', hex: 'A4 09 4E 00 84 FF 55 03 AA 06 02 48 28', msgId: 0x4e, payloadHex: '00 84 FF 55 03 AA 06 02 48', source: '§1.1, §4' },
  { id: 'checksum 0xFF (antifier log)', hex: 'a4 09 4e 01 83 01 01 33 e0 27 22 48 ff', msgId: 0x4e, payloadHex: '01 83 01 01 33 E0 27 22 48', source: '§1.1 antifier issue #3' },
  { id: 'startup (command reset)', hex: 'A4 01 6F 20 EA', msgId: 0x6f, payloadHex: '20', source: '§4' },
  { id: 'capabilities USB2', hex: 'A4 06 54 08 03 00 BA 36 00 71', msgId: 0x54, payloadHex: '08 03 00 BA 36 00', source: '§1.4 FortiusANT PR #198' },
  { id: 'capabilities USB-m', hex: 'A4 08 54 08 08 00 BA 36 00 DF 79 D2', msgId: 0x54, payloadHex: '08 08 00 BA 36 00 DF 79', source: '§1.4 thisisant forum 4250' },
  { id: 'channel id wildcard', hex: 'A4 05 51 00 00 00 78 00 88', msgId: 0x51, payloadHex: '00 00 00 78 00', source: '§3.1' },
  { id: 'channel id 12345', hex: 'A4 05 51 00 39 30 78 00 81', msgId: 0x51, payloadHex: '00 39 30 78 00', source: '§3.1' },
  { id: 'channel id device 15 (B3)', hex: 'A4 05 51 00 0F 00 78 00 87', msgId: 0x51, payloadHex: '00 0F 00 78 00', source: '§9 B3' },
  { id: 'network key response', hex: 'A4 03 40 00 46 00 A1', msgId: 0x40, payloadHex: '00 46 00', source: '§4' },
  { id: 'rx fail go to search', hex: 'A4 03 40 00 01 08 EE', msgId: 0x40, payloadHex: '00 01 08', source: '§4' },
];

/** Extended-data frames. */
export const EXT_VECTORS = [
  { id: 'flag 0x80', hex: 'A4 0E 4E 00 84 FF 55 03 AA 06 02 48 80 39 30 78 01 DF', deviceNumber: 12345, deviceType: 0x78, transmissionType: 1, rssiDbm: null, rxTimestamp: null, source: '§4' },
  { id: 'flag 0xE0', hex: 'A4 13 4E 00 84 FF 55 03 AA 06 02 48 E0 39 30 78 01 20 C4 B0 34 12 D0', deviceNumber: 12345, deviceType: 0x78, transmissionType: 1, rssiDbm: -60, rxTimestamp: 0x1234, source: '§4' },
] as const;

/** HR pages (8 page bytes). */
export const HR_PAGE_VECTORS = [
  { id: 'page 4 toggled', hex: '84 FF 55 03 AA 06 02 48', expected: { pageNumber: 4, toggle: 1, previousBeatTicks: 0x0355, beatTimeTicks: 0x06aa, beatCount: 2, heartRateBpm: 72 }, source: '§4' },
  { id: 'page 0', hex: '00 FF FF FF AA 06 02 48', expected: { pageNumber: 0, toggle: 0, beatTimeTicks: 0x06aa, beatCount: 2, heartRateBpm: 72 }, source: '§5.1' },
  { id: 'page 2 manufacturer', hex: '82 01 34 12 AA 06 02 48', expected: { pageNumber: 2, manufacturerId: 1, serialHigh: 0x1234 }, source: '§5.1' },
  { id: 'page 7 battery', hex: '07 55 80 23 AA 06 02 48', expected: { pageNumber: 7, batteryPct: 0x55, fractionalVoltage: 0x80, coarseVoltage: 3, batteryStatus: 2 }, source: '§5.1' },
] as const;

/** Power page pairs with expected derived values. */
export const POWER_PAIR_VECTORS = [
  { id: 'crank torque 0x12', a: '12 0A 0A 3C 00 08 00 00', b: '12 0B 0B 3C 00 10 80 02', offsetHz: 0, cadenceRpm: 60, torqueNm: 20, powerW: 125.66, source: '§5.4 check vector' },
  { id: 'CTF 0x20 offset 0', a: '20 05 01 2C 07 D0 03 E8', b: '20 06 01 2C 0F A0 07 D0', offsetHz: 0, cadenceRpm: 60, torqueNm: 33.33, powerW: 209.44, source: '§5.4 check vector / B7' },
  { id: 'CTF 0x20 offset 500', a: '20 05 01 2C 07 D0 03 E8', b: '20 06 01 2C 0F A0 07 D0', offsetHz: 500, cadenceRpm: 60, torqueNm: 16.67, powerW: 104.72, source: '§5.4 check vector' },
] as const;
