/**
 * Time in XDF exports (docs/xdf.md, "Timestamps"): seconds on the recording computer's monotonic
 * clock, the clock LSL's local_clock() reads (Node: `process.hrtime`). Records keep `t` in epoch
 * ms on the host's clock; `sync` records pair it with the monotonic clock during recording, and
 * each `t` maps with the latest pair read before it. Recordings older than `sync` records map with
 * the header's start pair (`startMs`, `hrtimeNs`), which is only as good as the host's `t` clock
 * staying in step with the monotonic clock (in Node it does: `t` is timeOrigin + performance.now(),
 * itself read from the monotonic clock) and the two start readings being taken together.
 */
import type { HeaderRecord, SyncRecord } from '../../../shared/recording/records';

/** How `t` was mapped onto the monotonic clock. */
export type ClockMappingKind = 'sync-pairs' | 'header-start' | 'session-start';

/** How far back (ms of `t`) pairs are kept for times that arrive late (RR beats are stamped up to a window late). */
const PAIR_HISTORY_MS = 120_000;

/**
 * Maps host `t` (epoch ms) onto monotonic seconds: a time maps with the latest pair taken at or
 * before it (times before the first pair use the first pair), so the mapping depends on `t` alone,
 * not on where in the file the time was read.
 */
export class HostClockMap {
  /** Offset (monotonic ms − `t`) of the header's start pair. */
  private readonly startOffsetMs: number;
  private readonly hasStartPair: boolean;
  /** Recent pairs: `t` and offset, in recording order. */
  private readonly pairT: number[] = [];
  private readonly pairOffset: number[] = [];
  private pairs = 0;
  /** Largest change of the offset between consecutive pairs (ms): the drift the pairs absorbed. */
  maxStepMs = 0;
  /** Largest span of a pair's monotonic readings (ms): the pairs' own uncertainty. */
  maxSpanMs = 0;

  constructor(header: HeaderRecord) {
    const hrMs = hrNsToMs(header.hrtimeNs);
    this.hasStartPair = hrMs !== null;
    // Without a readable monotonic start reading, time counts from the session start.
    this.startOffsetMs = (hrMs ?? 0) - header.startMs;
  }

  /** Which mapping was used so far. */
  get kind(): ClockMappingKind {
    if (this.pairs > 0) return 'sync-pairs';
    return this.hasStartPair ? 'header-start' : 'session-start';
  }

  /** Number of pairs taken. */
  get pairCount(): number {
    return this.pairs;
  }

  /** Take a new pair (pairs arrive in recording order). */
  onSync(r: SyncRecord): void {
    const hrMs = hrNsToMs(r.hrNs);
    if (hrMs === null || !Number.isFinite(r.t)) return;
    const offset = hrMs - r.t;
    const n = this.pairT.length;
    if (n > 0) {
      if (r.t < this.pairT[n - 1]!) return; // a clock step backwards: keep the pairs already in order
      this.maxStepMs = Math.max(this.maxStepMs, Math.abs(offset - this.pairOffset[n - 1]!));
    }
    this.maxSpanMs = Math.max(this.maxSpanMs, r.spanNs / 1e6);
    this.pairT.push(r.t);
    this.pairOffset.push(offset);
    this.pairs++;
    let drop = 0;
    while (drop < this.pairT.length - 2 && this.pairT[drop + 1]! < r.t - PAIR_HISTORY_MS) drop++;
    if (drop > 0) {
      this.pairT.splice(0, drop);
      this.pairOffset.splice(0, drop);
    }
  }

  /** Seconds on the monotonic clock of a host time `tMs`. */
  toSeconds(tMs: number): number {
    const n = this.pairT.length;
    if (n === 0) return (tMs + this.startOffsetMs) / 1000;
    let i = n - 1;
    while (i > 0 && this.pairT[i]! > tMs) i--;
    return (tMs + this.pairOffset[i]!) / 1000;
  }
}

/** Nanoseconds as a decimal string → milliseconds (exact to well under a microsecond); null when not a number. */
export function hrNsToMs(hrNs: string): number | null {
  if (!/^[0-9]{1,30}$/.test(hrNs)) return null;
  const ns = BigInt(hrNs);
  const ms = ns / 1_000_000n;
  return Number(ms) + Number(ns - ms * 1_000_000n) / 1e6;
}
