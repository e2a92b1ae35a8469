/**
 * ANT message ids, channel event codes, capabilities and the host→stick messages the app builds —
 * docs/ant-plus.md "Serial messages" and "Channels".
 */
import { encodeFrame } from './frame';

/** Message ids used by the app, keyed by name. */
export const MSG = {
  channelEvent: 0x40,
  unassignChannel: 0x41,
  assignChannel: 0x42,
  channelPeriod: 0x43,
  searchTimeout: 0x44,
  rfFrequency: 0x45,
  networkKey: 0x46,
  resetSystem: 0x4a,
  openChannel: 0x4b,
  closeChannel: 0x4c,
  request: 0x4d,
  broadcastData: 0x4e,
  acknowledgedData: 0x4f,
  burstData: 0x50,
  channelId: 0x51,
  capabilities: 0x54,
  openRxScan: 0x5b,
  enableExtRx: 0x66,
  libConfig: 0x6e,
  startup: 0x6f,
  serialError: 0xae,
} as const;

/** Channel response / RF event codes (payload byte 2 of a 0x40 message). */
export const EVENT = {
  noError: 0x00,
  rxSearchTimeout: 0x01,
  rxFail: 0x02,
  tx: 0x03,
  transferRxFailed: 0x04,
  transferTxCompleted: 0x05,
  transferTxFailed: 0x06,
  channelClosed: 0x07,
  rxFailGoToSearch: 0x08,
  channelCollision: 0x09,
  channelInWrongState: 0x15,
  channelNotOpened: 0x16,
  closeAllChannels: 0x19,
  invalidMessage: 0x28,
  invalidScanTxChannel: 0x31,
} as const;

/** msgId 0x01 inside a channel event marks an RF event rather than a command response. */
export const RF_EVENT_MSG_ID = 0x01;

/** Serial error code: the stick received a frame with a wrong checksum. */
export const SERIAL_ERROR_BAD_CHECKSUM = 0x02;

/** Capability bits of `advancedOpts2` (§1.4). */
export const ADV2 = { led: 0x01, extendedMessages: 0x02, scanMode: 0x04, proximitySearch: 0x10, extendedAssign: 0x20, antFs: 0x40 } as const;

/** What a stick's capabilities reply says. */
export interface StickCapabilities {
  readonly maxChannels: number;
  readonly maxNetworks: number;
  readonly advancedOptions2: number;
  /** Extended messages and scan mode both supported (what continuous scan needs). */
  readonly canScan: boolean;
  /** Payload length: 6 on ANTUSB2, 8 on ANT USB-m. */
  readonly payloadLength: number;
}

/** Decode a capabilities payload (`54` message without framing); null when shorter than 5 bytes. */
export function decodeCapabilities(payload: Uint8Array): StickCapabilities | null {
  if (payload.length < 5) return null;
  const adv2 = payload[4]!;
  const needed = ADV2.extendedMessages | ADV2.scanMode;
  return {
    maxChannels: payload[0]!,
    maxNetworks: payload[1]!,
    advancedOptions2: adv2,
    canScan: (adv2 & needed) === needed,
    payloadLength: payload.length,
  };
}

/** Reset System `4A [00]`. */
export function resetSystemFrame(): Uint8Array {
  return encodeFrame(MSG.resetSystem, [0]);
}

/** Request Message `4D [ch, id]`. */
export function requestFrame(channel: number, messageId: number): Uint8Array {
  return encodeFrame(MSG.request, [channel, messageId]);
}

/** Close Channel `4C [ch]`. */
export function closeChannelFrame(channel: number): Uint8Array {
  return encodeFrame(MSG.closeChannel, [channel]);
}

/** Unassign Channel `41 [ch]`. */
export function unassignChannelFrame(channel: number): Uint8Array {
  return encodeFrame(MSG.unassignChannel, [channel]);
}

/** Channel event / response `40 [ch, msgId, code]` (the simulated stick's answers). */
export function channelEventFrame(channel: number, msgId: number, code: number): Uint8Array {
  return encodeFrame(MSG.channelEvent, [channel, msgId, code]);
}

/** ANT+ RF channel 57 (2457 MHz) — docs/ant-plus.md "Channels". */
const ANT_PLUS_RF_CHANNEL = 57;
/** Channel type "bidirectional receive" (slave), the type every ANT+ display uses. */
const CHANNEL_TYPE_RECEIVE = 0x00;
/** Lib-config flags asking for channel ID, RSSI and RX timestamp blocks after every data message. */
const LIB_CONFIG_ALL_EXTENDED = 0xe0;
/** Search timeout value meaning "search forever" (the channel never closes itself). */
const SEARCH_TIMEOUT_NEVER = 0xff;

/** Assign Channel `42 [ch, type, network]` (network 0 carries the ANT+ key). */
export function assignChannelFrame(channel: number, type = CHANNEL_TYPE_RECEIVE): Uint8Array {
  return encodeFrame(MSG.assignChannel, [channel, type, 0]);
}

/** Set Channel ID `51 [ch, devNo LE16, devType, transType]`; 0 in any field is a wildcard. */
export function channelIdFrame(channel: number, deviceNumber: number, deviceType: number, transmissionType = 0): Uint8Array {
  return encodeFrame(MSG.channelId, [channel, deviceNumber & 0xff, (deviceNumber >> 8) & 0xff, deviceType & 0xff, transmissionType & 0xff]);
}

/** Channel Period `43 [ch, period LE16]` in 1/32768 s. */
export function channelPeriodFrame(channel: number, period: number): Uint8Array {
  return encodeFrame(MSG.channelPeriod, [channel, period & 0xff, (period >> 8) & 0xff]);
}

/** Search Timeout `44 [ch, timeout]` in 2.5 s units ({@link SEARCH_TIMEOUT_NEVER} = never). */
export function searchTimeoutFrame(channel: number, timeout = SEARCH_TIMEOUT_NEVER): Uint8Array {
  return encodeFrame(MSG.searchTimeout, [channel, timeout]);
}

/** Channel RF Frequency `45 [ch, offset from 2400 MHz]`. */
export function rfFrequencyFrame(channel: number, rfChannel = ANT_PLUS_RF_CHANNEL): Uint8Array {
  return encodeFrame(MSG.rfFrequency, [channel, rfChannel]);
}

/** Enable Extended Messages `66 [0, 1]` (older firmware needs it besides lib config). */
export function enableExtRxFrame(): Uint8Array {
  return encodeFrame(MSG.enableExtRx, [0, 1]);
}

/** Lib Config `6E [ch, flags]`: which extended blocks follow data messages. */
export function libConfigFrame(channel: number, flags = LIB_CONFIG_ALL_EXTENDED): Uint8Array {
  return encodeFrame(MSG.libConfig, [channel, flags]);
}

/** Open Channel `4B [ch]`. */
export function openChannelFrame(channel: number): Uint8Array {
  return encodeFrame(MSG.openChannel, [channel]);
}

/** Open RX Scan Mode `5B [0, 1]` (channel 0; 1 = ignore packets while synchronous channels transmit). */
export function openRxScanFrame(): Uint8Array {
  return encodeFrame(MSG.openRxScan, [0, 1]);
}
