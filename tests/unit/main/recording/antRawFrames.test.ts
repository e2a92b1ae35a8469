/** ANT+ frames go into the raw log only while recording, as copies, under the device the adapter named or else stick and channel. */
import { describe, expect, it } from 'vitest';
import { antRawFrameTap } from '../../../../src/main/recording/antRawFrames';
import type { RawMessage } from '../../../../src/main/recording/sessionRecorder';

function recorder(isActive: boolean): { isActive: boolean; messages: RawMessage[]; recordRaw(m: RawMessage): void } {
  return { isActive, messages: [], recordRaw(m) { this.messages.push(m); } };
}

describe('antRawFrameTap', () => {
  // a broadcast data message on channel 2: sync, length, id 0x4E, channel, 8 payload bytes, checksum
  const frame = (): Uint8Array => Uint8Array.from([0xa4, 0x09, 0x4e, 0x02, 4, 0, 0, 0, 0x10, 0x20, 0x30, 0x48, 0x00]);

  it('files a frame under the device the adapter read, copying the bytes', () => {
    const rec = recorder(true);
    const bytes = frame();
    antRawFrameTap(rec)(bytes, 1000, 'usb-1', 'ant:120:4242');
    bytes.fill(0); // the driver reuses its buffer
    expect(rec.messages).toEqual([{ tMs: 1000, deviceId: 'ant:120:4242', transport: 'ant', channel: 2, bytes: frame() }]);
  });

  it('files a frame naming no device by stick and channel', () => {
    const rec = recorder(true);
    antRawFrameTap(rec)(frame(), 1000, 'usb-1', null);
    expect(rec.messages[0]!.deviceId).toBe('ant:stick:usb-1:2');
  });

  it('records nothing while no session is open, and ignores a frame too short to name its channel', () => {
    const idle = recorder(false);
    antRawFrameTap(idle)(frame(), 1000, 'usb-1', null);
    const active = recorder(true);
    antRawFrameTap(active)(Uint8Array.from([0xa4, 0x01, 0x4e]), 1000, 'usb-1', null);
    expect([idle.messages, active.messages]).toEqual([[], []]);
  });
});
