/**
 * Batches the manager's raw notifications for the host's raw log (`raw.ingest`): hex-encoded, sent at
 * most every `flushMs`, in arrival order, at most 5000 per call (the contract's limit).
 */
import type { DeviceId } from '../../shared/device';
import type { RawLogFn } from './manager';

/** One raw message as the contract carries it. */
export interface RawLogMessage {
  readonly tMs: number;
  readonly deviceId: DeviceId;
  readonly characteristic: string;
  readonly bytesHex: string;
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

/** Bytes as lowercase hex. */
export function bytesToHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += HEX[b];
  return s;
}

/** A raw-log callback for {@link BleManagerOptions.onRaw} that batches into `send`. */
export function createRawLogBatcher(send: (messages: RawLogMessage[]) => void, flushMs = 200): { onRaw: RawLogFn; flush(): void } {
  let queue: RawLogMessage[] = [];
  let timer: ReturnType<typeof setTimeout> | null = null;
  const flush = (): void => {
    if (timer) clearTimeout(timer);
    timer = null;
    while (queue.length > 0) {
      const batch = queue.slice(0, 5000);
      queue = queue.slice(5000);
      send(batch);
    }
  };
  return {
    onRaw(deviceId, characteristic, bytes, tMs) {
      queue.push({ tMs, deviceId, characteristic, bytesHex: bytesToHex(bytes) });
      timer ??= setTimeout(flush, flushMs);
    },
    flush,
  };
}
