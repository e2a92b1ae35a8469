/**
 * Beat times of RR intervals (docs/xdf.md, "RR intervals"): each RR sample is stamped at its
 * beat, on the receiving process's clock. The sensor's own beat clock (ANT+ beat event time in
 * 1/1024 s, rolling over every 64 s; for Bluetooth straps, which send no beat time, the running
 * sum of the RR intervals) gives the beats' spacing exactly; it is anchored to reception by the
 * smallest observed delay (reception − device time) in a window of ±30 s around each beat. The
 * smallest delay includes the beat itself, so no beat is ever stamped after it was received, and
 * the window follows the drift between the sensor's crystal and the computer's clock. Bounded
 * memory: only the beats of the last window are held.
 */

/** One RR sample as recorded. */
export interface BeatIn {
  /** Reception time (ms, the sender's clock). */
  readonly tMs: number;
  readonly rrMs: number;
  /** Device beat event time in ticks as sent (before rollover), when the sensor sends one. */
  readonly eventTicks?: number;
  readonly ticksPerSecond?: number;
  /** Beat count as sent; its presence marks `eventTicks` as a beat time (ANT+, simulated straps). */
  readonly eventCount?: number;
  readonly flags?: number;
}

/** One RR sample with its beat time. */
export interface BeatOut {
  readonly beat: BeatIn;
  /** Beat time (ms, the sender's clock); never later than `beat.tMs`. */
  readonly beatMs: number;
}

/** Anchoring window on each side of a beat (ms). */
const BEAT_WINDOW_MS = 30_000;
/** A change of delay larger than this starts a new anchoring segment (sensor restarted, beats lost). */
const BEAT_JUMP_MS = 3_000;
/** Beat event times roll over at 16 bits. */
const TICK_MODULUS = 65536;

interface Point {
  readonly beat: BeatIn;
  /** Device time since the segment's first beat (ms). */
  readonly devMs: number;
  /** Reception − device time (ms). */
  readonly delayMs: number;
}

type Mode = 'ticks' | 'sum' | 'none';

function modeOf(b: BeatIn): Mode {
  if (b.eventTicks !== undefined && b.eventCount !== undefined && b.ticksPerSecond !== undefined && b.ticksPerSecond > 0) return 'ticks';
  return Number.isFinite(b.rrMs) && b.rrMs > 0 ? 'sum' : 'none';
}

/** Anchors the beats of one RR stream; `emit` receives them in beat order. */
export class BeatClock {
  private readonly pending: Point[] = [];
  private pendingHead = 0;
  /** Window minimum candidates: delays increasing from front to back. */
  private readonly window: Point[] = [];
  private windowHead = 0;
  private mode: Mode | null = null;
  private last: Point | null = null;
  private segmentMinDelayMs = Infinity;
  private lastStampMs = -Infinity;
  /** Beats whose stamp was raised to keep the stream in time order. */
  clamped = 0;
  /** Segments started (first beat, sensor restarts, lost beats). */
  segments = 0;

  constructor(
    private readonly emit: (out: BeatOut) => void,
    private readonly windowMs = BEAT_WINDOW_MS,
  ) {}

  /** Add the next recorded RR sample. */
  push(beat: BeatIn): void {
    const mode = modeOf(beat);
    if (mode === 'none') {
      this.flush();
      this.out(beat, beat.tMs);
      return;
    }
    let devMs = 0;
    const prev = this.last;
    if (prev && mode === this.mode) {
      if (mode === 'ticks') {
        const tps = beat.ticksPerSecond!;
        const wrapped = ((((beat.eventTicks! - prev.beat.eventTicks!) % TICK_MODULUS) + TICK_MODULUS) % TICK_MODULUS);
        const expected = ((beat.tMs - prev.beat.tMs) * tps) / 1000;
        const turns = Math.max(0, Math.round((expected - wrapped) / TICK_MODULUS));
        devMs = prev.devMs + ((wrapped + turns * TICK_MODULUS) * 1000) / tps;
      } else {
        devMs = prev.devMs + beat.rrMs;
      }
      const delay = beat.tMs - devMs;
      if (Math.abs(delay - this.segmentMinDelayMs) > BEAT_JUMP_MS) {
        this.flush();
        devMs = 0;
      }
    } else if (prev) {
      this.flush();
    }
    if (this.last === null) this.segments++;
    this.mode = mode;
    const point: Point = { beat, devMs, delayMs: beat.tMs - devMs };
    this.last = point;
    if (point.delayMs < this.segmentMinDelayMs) this.segmentMinDelayMs = point.delayMs;
    this.pending.push(point);
    while (this.window.length > this.windowHead && this.window[this.window.length - 1]!.delayMs >= point.delayMs) this.window.pop();
    this.window.push(point);
    while (this.pendingHead < this.pending.length && this.pending[this.pendingHead]!.devMs + this.windowMs <= devMs) this.emitNext();
    this.compact();
  }

  /** Emit every held beat (end of the stream, or a new segment begins). */
  flush(): void {
    while (this.pendingHead < this.pending.length) this.emitNext();
    this.pending.length = 0;
    this.pendingHead = 0;
    this.window.length = 0;
    this.windowHead = 0;
    this.last = null;
    this.mode = null;
    this.segmentMinDelayMs = Infinity;
  }

  private emitNext(): void {
    const p = this.pending[this.pendingHead++]!;
    while (this.window[this.windowHead]!.devMs < p.devMs - this.windowMs) this.windowHead++;
    this.out(p.beat, p.devMs + this.window[this.windowHead]!.delayMs);
  }

  private out(beat: BeatIn, stampMs: number): void {
    let beatMs = Math.min(stampMs, beat.tMs);
    if (beatMs < this.lastStampMs) {
      beatMs = Math.min(this.lastStampMs, beat.tMs);
      this.clamped++;
    }
    this.lastStampMs = beatMs;
    this.emit({ beat, beatMs });
  }

  private compact(): void {
    if (this.pendingHead > 1024 && this.pendingHead * 2 > this.pending.length) {
      this.pending.splice(0, this.pendingHead);
      this.pendingHead = 0;
    }
    if (this.windowHead > 1024 && this.windowHead * 2 > this.window.length) {
      this.window.splice(0, this.windowHead);
      this.windowHead = 0;
    }
  }
}
