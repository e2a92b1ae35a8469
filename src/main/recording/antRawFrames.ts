/**
 * Files every ANT+ data frame a stick received into the open session's raw log, so a session can be
 * replayed byte for byte (docs/ant-plus.md §1.1: byte 3 of a data message is its channel number).
 * The adapter has already read the sending device from the extended data; a frame naming none is
 * filed by stick and channel.
 */
import type { DeviceId } from '../../shared/device';
import type { RawMessage } from './sessionRecorder';

/** The recorder as the raw-frame tap sees it. */
export interface RawFrameRecorder {
  readonly isActive: boolean;
  recordRaw(message: RawMessage): void;
}

/** Byte offset of the channel number in an ANT data message (sync, length, id, channel). */
const CHANNEL_BYTE = 3;

/** The device id a frame is filed under when the adapter could not tell the device. */
function unknownAntDeviceId(stickKey: string, channel: number): string {
  return `ant:stick:${stickKey}:${channel}`;
}

/** The ANT feature's `onDataFrame` tap: copies each frame into the recording while one is open. */
export function antRawFrameTap(recording: RawFrameRecorder): (frame: Uint8Array, tMs: number, stickKey: string, deviceId: DeviceId | null) => void {
  return (frame, tMs, stickKey, deviceId) => {
    if (!recording.isActive || frame.length <= CHANNEL_BYTE) return;
    const channel = frame[CHANNEL_BYTE]!;
    // the frame may be a view into the driver's read buffer: keep a copy
    recording.recordRaw({ tMs, deviceId: deviceId ?? unknownAntDeviceId(stickKey, channel), transport: 'ant', channel, bytes: frame.slice() });
  };
}
