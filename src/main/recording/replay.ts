/**
 * Pacing of a recorded session's raw transport log: every BLE notification and ANT message is handed back, byte
 * for byte, with its original reception time and a replay time (the original spacing divided by `speed`). The
 * replay transports (src/main/replay) feed the bytes through the live decoders on the original clock.
 * `speed: Infinity` replays as fast as possible (yielding to the event loop between chunks) with replay times
 * spaced as recorded. A record whose bytes are not valid hex is skipped and counted, never replayed as garbage.
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
  /** Wait `ms` of the replay's clock (a test injects a fake clock; default: a timer). */
  readonly wait?: (ms: number) => Promise<void>;
}

/** Counters of a finished replay. */
export interface ReplayStats {
  readonly ble: number;
  readonly ant: number;
  /** Records whose bytes were not valid hex (REC_BAD_RECORD). */
  readonly badRecords: number;
  readonly isStopped: boolean;
}

/** A loaded replay. */
export interface ReplaySource {
  /** Messages in the raw log. */
  readonly messageCount: number;
  /** Devices in the raw log. */
  readonly deviceIds: readonly string[];
  /** Original reception time of the first message (the replay's time origin). */
  readonly firstTMs: number;
  /** Replay time of an original reception time, once started (`startMs + (t − firstTMs) / speed`). */
  replayTime(originalTMs: number): number;
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

  const firstTMs = messages[0]?.t ?? 0;
  const isFast = !Number.isFinite(speed);
  let startMs = now();
  const replayTime = (t: number): number => startMs + (t - firstTMs) / (isFast ? 1 : speed);
  const emit = (m: RawRecord, tMs: number, counts: { ble: number; ant: number; badRecords: number }): void => {
    const bytes = hexToBytes(m.b);
    if (!bytes) {
      counts.badRecords++;
      return;
    }
    if (m.tr === 'ble') {
      counts.ble++;
      options.onBle?.(m.d, m.ch ?? '', bytes, tMs, m.t);
    } else {
      counts.ant++;
      options.onAnt?.(bytes, tMs, m.d, m.chan, m.t);
    }
  };

  const sleep = (ms: number): Promise<void> =>
    new Promise<void>((r) => {
      const timer = setTimeout(r, ms);
      wake = () => {
        clearTimeout(timer);
        r();
      };
    });

  return ok({
    messageCount: messages.length,
    deviceIds,
    firstTMs,
    replayTime,
    async start(): Promise<ReplayStats> {
      const counts = { ble: 0, ant: 0, badRecords: 0 };
      if (messages.length === 0) return { ...counts, isStopped };
      startMs = now();
      for (let i = 0; i < messages.length && !isStopped; i++) {
        const m = messages[i]!;
        const dueMs = replayTime(m.t);
        if (isFast) {
          if (i % 500 === 499) await new Promise<void>((r) => setImmediate(r));
        } else {
          const waitMs = dueMs - now();
          if (waitMs > 1) {
            await (options.wait ? options.wait(waitMs) : sleep(waitMs));
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
