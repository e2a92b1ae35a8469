/**
 * Extended data appended to received data messages — docs/ant-plus.md §1.5:
 * after `[ch, 8 data bytes]` a flag byte, then the blocks whose flag bit is set, in this order:
 * 0x80 channel ID (devNo LE16, devType, transType), 0x40 RSSI (type 0x20, int8 dBm, int8 threshold),
 * 0x20 RX timestamp (uint16, 1/32768 s).
 */

/** Extended-data flag bits. */
export const EXT_FLAG = { channelId: 0x80, rssi: 0x40, timestamp: 0x20 } as const;

/** Decoded extended data of one data message. */
export interface ExtendedData {
  deviceNumber: number;
  deviceType: number;
  transmissionType: number;
  /** dBm, or null when the RSSI block is absent. */
  rssiDbm: number | null;
  thresholdDbm: number | null;
  /** 1/32768 s ticks, or null when absent. */
  rxTimestamp: number | null;
}

/** Offset of the flag byte in a whole frame (sync, len, id, ch, 8 data bytes). */
const EXT_FLAG_OFFSET = 12;

/**
 * Decode the extended data of a whole data frame into `out` (reused to avoid allocation per message);
 * returns false when the frame carries no channel-ID block.
 */
export function readExtendedData(frame: Uint8Array, out: ExtendedData): boolean {
  const payloadEnd = 3 + frame[1]!;
  if (payloadEnd <= EXT_FLAG_OFFSET + 4) return false;
  const flag = frame[EXT_FLAG_OFFSET]!;
  if (!(flag & EXT_FLAG.channelId)) return false;
  let p = EXT_FLAG_OFFSET + 1;
  out.deviceNumber = frame[p]! | (frame[p + 1]! << 8);
  out.deviceType = frame[p + 2]!;
  out.transmissionType = frame[p + 3]!;
  p += 4;
  out.rssiDbm = null;
  out.thresholdDbm = null;
  out.rxTimestamp = null;
  if (flag & EXT_FLAG.rssi && p + 3 <= payloadEnd) {
    out.rssiDbm = (frame[p + 1]! << 24) >> 24;
    out.thresholdDbm = (frame[p + 2]! << 24) >> 24;
    p += 3;
  }
  if (flag & EXT_FLAG.timestamp && p + 2 <= payloadEnd) out.rxTimestamp = frame[p]! | (frame[p + 1]! << 8);
  return true;
}

/** A fresh, empty {@link ExtendedData}. */
export function emptyExtendedData(): ExtendedData {
  return { deviceNumber: 0, deviceType: 0, transmissionType: 0, rssiDbm: null, thresholdDbm: null, rxTimestamp: null };
}

/** Encode extended blocks for `flag` (the simulated stick's side). */
export function encodeExtendedData(flag: number, ext: Omit<ExtendedData, 'thresholdDbm'> & { thresholdDbm?: number | null }): number[] {
  const out = [flag];
  if (flag & EXT_FLAG.channelId) out.push(ext.deviceNumber & 0xff, (ext.deviceNumber >> 8) & 0xff, ext.deviceType, ext.transmissionType);
  if (flag & EXT_FLAG.rssi) out.push(0x20, (ext.rssiDbm ?? -70) & 0xff, (ext.thresholdDbm ?? -80) & 0xff);
  if (flag & EXT_FLAG.timestamp) out.push((ext.rxTimestamp ?? 0) & 0xff, ((ext.rxTimestamp ?? 0) >> 8) & 0xff);
  return out;
}
