import { describe, expect, it } from 'vitest';
import { AntService } from '../../../src/main/ant/antService';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { HrPageSource, type SimAntDevice, type SimBeat } from '../../../src/main/ant/sim/simDevices';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import { SAMPLE_FLAGS, type Sample } from '../../../src/shared/sample';
import { collector, runFor, testClock } from './harness';

const GAPS: [number, number][] = [
  [8_000, 9_300],
  [15_000, 15_600],
  [21_000, 23_000],
];

function strap(deviceNumber: number, hrMainPage: 0 | 4): SimAntDevice {
  return {
    kind: 'hr',
    deviceNumber,
    hrMainPage,
    valueAt: (t) => ({ heartRate: 95 + 40 * Math.sin((2 * Math.PI * t) / 20_000) }),
    isInRange: (t) => !GAPS.some(([a, b]) => t >= a && t < b),
  };
}

async function run(hrMainPage: 0 | 4) {
  const clock = testClock(0);
  const bus = new SimAntBus();
  const sim = new SimAntStick({ key: 'hr' });
  const source = sim.addDevice(strap(4242, hrMainPage)) as HrPageSource;
  bus.plug(sim);
  const sink = collector();
  const service = new AntService({ bus, sink, now: clock.now });
  await service.start();
  await runFor(clock, 30_000, (t) => bus.advanceTo(t), 50);
  await service.stop();
  return { rr: sink.of('ant:120:4242', 'rrInterval'), beats: source.beats };
}

/** The ground-truth beat an RR sample ends at (beat count and time as sent, i.e. wrapped). */
function beatOf(s: Sample, beats: readonly SimBeat[]): SimBeat | undefined {
  return beats.find((b) => (b.n & 0xff) === s.timing!.eventCount && (b.tTicks & 0xffff) === s.timing!.eventTicks);
}

/** Beats whose own message window (previous beat … next beat, plus one period) touches a gap. */
function isNearGap(b: SimBeat, beats: readonly SimBeat[]): boolean {
  const prev = beats[b.n - 2];
  const next = beats[b.n];
  const from = ((prev?.tTicks ?? 0) * 1000) / 1024 - 300;
  const to = ((next?.tTicks ?? b.tTicks) * 1000) / 1024 + 300;
  return GAPS.some(([a, e]) => from < e && to > a);
}

describe('RR intervals from ANT+ heart-rate pages', () => {
  it('equal the simulator ground truth beat for beat; beats lost in dropouts are flagged, never invented (page 4 strap)', async () => {
    const { rr, beats } = await run(4);
    expect(rr.length).toBeGreaterThan(30);
    const seen = new Set<number>();
    for (const s of rr) {
      const b = beatOf(s, beats);
      expect(b, `RR ${s.value} ms matches a real beat`).toBeDefined();
      expect(s.value).toBe((b!.rrTicks * 1000) / 1024);
      expect(seen.has(b!.n)).toBe(false);
      seen.add(b!.n);
      if (s.timing!.flags === SAMPLE_FLAGS.missedBefore) expect(isNearGap(b!, beats)).toBe(true);
    }
    const firstN = Math.min(...seen);
    const expected = beats.filter((b) => b.n > firstN && ((b.tTicks * 1000) / 1024) < 29_500 && !isNearGap(b, beats));
    for (const b of expected) expect(seen.has(b.n), `beat ${b.n} has its RR`).toBe(true);
    const flagged = rr.filter((s) => s.timing!.flags === SAMPLE_FLAGS.missedBefore);
    expect(flagged.length).toBeGreaterThanOrEqual(2);
    const missedBeats = beats.filter((b) => GAPS.some(([a, e]) => (b.tTicks * 1000) / 1024 >= a + 300 && (beats[b.n]?.tTicks ?? Infinity) * 1000 / 1024 < e));
    expect(missedBeats.length).toBeGreaterThan(0);
    for (const b of missedBeats) expect(seen.has(b.n), `beat ${b.n} inside a dropout has no RR`).toBe(false);
  });

  it('page-0 straps (no previous beat time) emit nothing across a gap instead of a merged interval', async () => {
    const { rr, beats } = await run(0);
    expect(rr.length).toBeGreaterThan(30);
    for (const s of rr) {
      expect(s.timing!.flags).toBe(0);
      expect(s.value).toBe((beatOf(s, beats)!.rrTicks * 1000) / 1024);
    }
  });
});
