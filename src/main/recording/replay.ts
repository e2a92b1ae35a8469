/**
 * Replay of a recorded session's raw transport log as simulated devices: every BLE notification
 * and ANT message is handed back, byte for byte, with its original relative timing (scaled by
 * `speed`), so the same decoders run on the same bytes. `speed: Infinity` replays as fast as
 * possible (yielding to the event loop between chunks) with time stamps spaced as recorded.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fail, ok, type Result } from '../../shared/errors';
import { hexToBytes } from '../../shared/recording/hex';
import { sessionFileNames } from '../../shared/recording/naming';
import type { RawRecord } from '../../shared/recording/records';
import { nowMs } from '../../shared/sample';
import { readRecords } from './reader';
import { readManifestIn } from './recovery';

/** Callbacks and pacing of a replay. */
export interface ReplayOptions {
  /** Playback speed: 1 = real time, 10 = ten times faster, Infinity = as fast as possible. */
  readonly speed?: number;
  /** A BLE notification: device, characteristic UUID, value bytes, replay reception time, original time. */
  readonly onBle?: (deviceId: string, characteristic: string, bytes: Uint8Array, tMs: number, originalTMs: number) => void;
  /** An ANT message: bytes, replay reception time, device, channel, original time. */
  readonly onAnt?: (bytes: Uint8Array, tMs: number, deviceId: string, channel: number | undefined, originalTMs: number) => void;
  readonly now?: () => number;
}

/** Counters of a finished replay. */
export interface ReplayStats {
  readonly ble: number;
  readonly ant: number;
  readonly isStopped: boolean;
}

/** A loaded replay. */
export interface ReplaySource {
  /** Messages in the raw log. */
  readonly messageCount: number;
  /** Devices in the raw log. */
  readonly deviceIds: readonly string[];
  /** Start; resolves when every message was emitted or `stop` was called. */
  start(): Promise<ReplayStats>;
  stop(): void;
}

/** Load a session's raw log for replay. */
export async function createReplaySource(sessionDir: string, options: ReplayOptions = {}): Promise<Result<ReplaySource>> {
  const manifest = readManifestIn(sessionDir);
  if (!manifest.ok) return manifest;
  const path = join(sessionDir, sessionFileNames(manifest.value.base).raw);
  if (!existsSync(path)) return fail('REC_REPLAY_FAILED', `The session ${sessionDir} has no raw transport log to replay.`);
  const speed = options.speed ?? 1;
  if (!(speed > 0)) return fail('REC_REPLAY_FAILED', `Replay speed must be a positive number, not ${speed}.`);
  const messages: RawRecord[] = [];
  await readRecords(path, (r) => {
    if (r.k === 'raw') messages.push(r);
  });
  messages.sort((a, b) => a.t - b.t);
  const now = options.now ?? nowMs;
  let isStopped = false;
  let wake: (() => void) | null = null;
  const deviceIds = [...new Set(messages.map((m) => m.d))];

  const emit = (m: RawRecord, tMs: number, counts: { ble: number; ant: number }): void => {
    const bytes = hexToBytes(m.b) ?? new Uint8Array(0);
    if (m.tr === 'ble') {
      counts.ble++;
      options.onBle?.(m.d, m.ch ?? '', bytes, tMs, m.t);
    } else {
      counts.ant++;
      options.onAnt?.(bytes, tMs, m.d, m.chan, m.t);
    }
  };

  return ok({
    messageCount: messages.length,
    deviceIds,
    async start(): Promise<ReplayStats> {
      const counts = { ble: 0, ant: 0 };
      if (messages.length === 0) return { ...counts, isStopped };
      const firstT = messages[0]!.t;
      const startMs = now();
      const isFast = !Number.isFinite(speed);
      for (let i = 0; i < messages.length && !isStopped; i++) {
        const m = messages[i]!;
        const dueMs = startMs + (m.t - firstT) / (isFast ? 1 : speed);
        if (isFast) {
          if (i % 500 === 499) await new Promise<void>((r) => setImmediate(r));
        } else {
          const waitMs = dueMs - now();
          if (waitMs > 1) {
            await new Promise<void>((r) => {
              const timer = setTimeout(r, waitMs);
              wake = () => {
                clearTimeout(timer);
                r();
              };
            });
            wake = null;
            if (isStopped) break;
          }
        }
        emit(m, dueMs, counts);
      }
      return { ...counts, isStopped };
    },
    stop(): void {
      isStopped = true;
      const w = wake as (() => void) | null;
      w?.();
    },
  });
}
