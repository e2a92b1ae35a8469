/**
 * RR intervals from ANT+ heart-rate pages — docs/ant-plus.md §5.1 ("RR intervals"). The strap sends
 * the time of the last beat (1/1024 s) and a beat counter; page 4 also carries the previous beat time.
 *
 * - Count advanced by exactly 1: one RR = beat time − last beat time (mod 65536). This is exact.
 * - Count advanced by more than 1 (messages lost): the beats in between are gone and are never invented.
 *   On page 4 the interval of the newest beat alone is still known (beat time − previous beat time);
 *   it is emitted with `isMissedBefore` so consumers know beats are missing before it. On other pages
 *   nothing is emitted.
 * - Count unchanged: no new beat, nothing emitted.
 * - After a gap — the first message of a session or after a replug, or after a silence longer than
 *   {@link RR_MAX_GAP_MS} (the 16-bit beat time rolls over every 64 s) — the counters say nothing about the beats
 *   in between. Page 4 still gives the newest beat's interval exactly (beat time − previous beat time); it is
 *   emitted, flagged `isMissedBefore` when the device had been heard before the gap. Page 0 only primes the state.
 *   An interval across missed beats is never computed.
 */
import { rolloverDelta } from './pageFields';

/** Silence after which beat time and count can no longer be trusted to be unambiguous. */
const RR_MAX_GAP_MS = 60_000;

/** Per-device RR state. */
export interface RrState {
  beatCount: number;
  beatTimeTicks: number;
  rxTMs: number;
  isPrimed: boolean;
}

/** What one HR page yields. */
export interface RrResult {
  /** RR in 1/1024 s ticks, or -1 when this page yields no interval. */
  rrTicks: number;
  /** The interval follows beats that were missed (count advanced by more than 1). */
  isMissedBefore: boolean;
  /** Beats that were missed before this page (0 normally). */
  missedBeats: number;
  /** Beat count and event time of the beat the RR ends at. */
  beatCount: number;
  beatTimeTicks: number;
}

/** A fresh RR state. */
export function createRrState(): RrState {
  return { beatCount: 0, beatTimeTicks: 0, rxTMs: 0, isPrimed: false };
}

/**
 * Advance `state` with one page (beat time, count, previous beat time when the page is 4, otherwise -1)
 * received at `rxTMs`; writes the outcome into `out` (reused, no allocation).
 */
export function nextRr(state: RrState, beatTimeTicks: number, beatCount: number, previousBeatTicks: number, rxTMs: number, out: RrResult): RrResult {
  out.rrTicks = -1;
  out.isMissedBefore = false;
  out.missedBeats = 0;
  out.beatCount = beatCount;
  out.beatTimeTicks = beatTimeTicks;
  const isFresh = state.isPrimed && rxTMs - state.rxTMs <= RR_MAX_GAP_MS;
  const isSameBeat = state.isPrimed && beatCount === state.beatCount && beatTimeTicks === state.beatTimeTicks;
  if (!isFresh) {
    if (previousBeatTicks >= 0 && !isSameBeat) {
      out.rrTicks = rolloverDelta(beatTimeTicks, previousBeatTicks, 16);
      out.isMissedBefore = state.isPrimed;
    }
  } else {
    const beats = rolloverDelta(beatCount, state.beatCount, 8);
    if (beats === 1) {
      out.rrTicks = rolloverDelta(beatTimeTicks, state.beatTimeTicks, 16);
    } else if (beats > 1) {
      out.missedBeats = beats - 1;
      if (previousBeatTicks >= 0) {
        out.rrTicks = rolloverDelta(beatTimeTicks, previousBeatTicks, 16);
        out.isMissedBefore = true;
      }
    }
  }
  if (out.rrTicks === 0) out.rrTicks = -1;
  state.beatCount = beatCount;
  state.beatTimeTicks = beatTimeTicks;
  state.rxTMs = rxTMs;
  state.isPrimed = true;
  return out;
}

/** A fresh {@link RrResult} to pass to {@link nextRr}. */
export function emptyRrResult(): RrResult {
  return { rrTicks: -1, isMissedBefore: false, missedBeats: 0, beatCount: 0, beatTimeTicks: 0 };
}
