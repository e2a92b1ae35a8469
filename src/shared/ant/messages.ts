/**
 * ANT message ids, channel event codes, capabilities and the host→stick messages the app builds —
 * reference/ant-plus.md §1.3, §1.4 ("ANT Message Protocol and Usage", D00000652).
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

/** Names of message ids, for messages people read. */
export const MSG_NAMES: { readonly [id: number]: string } = Object.fromEntries(
  Object.entries(MSG).map(([name, id]) => [id, name]),
);

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

/** Whether a frame (with sync) is a channel event carrying an RF event with one of `codes`. */
export function isRfEvent(frame: Uint8Array, code: number): boolean {
  return frame[2] === MSG.channelEvent && frame[4] === RF_EVENT_MSG_ID && frame[5] === code;
}
