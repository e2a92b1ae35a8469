import { Decoder, Stream } from '@garmin/fitsdk';
import { describe, expect, it } from 'vitest';
import { encodeFitActivity } from '../../../../src/main/recording/export/fitActivity';

const START_MS = Date.UTC(2026, 10, 25, 9, 0, 0, 400);
const T0 = Math.floor(START_MS / 1000);

function decode(bytes: Uint8Array): ReturnType<Decoder['read']> & { isIntact: boolean } {
  const d = new Decoder(Stream.fromByteArray([...bytes]));
  const isIntact = d.checkIntegrity();
  return { ...d.read(), isIntact };
}

describe('encodeFitActivity', () => {
  it('a session without data is still a valid activity file', () => {
    const fit = decode(encodeFitActivity({ startMs: START_MS, endMs: START_MS + 5000, records: [], rr: [], utcOffsetMin: 0 }).bytes);
    expect(fit.isIntact).toBe(true);
    expect(fit.errors).toEqual([]);
    expect(fit.messages.recordMesgs).toBeUndefined();
    expect(fit.messages.activityMesgs).toHaveLength(1);
  });

  it('leaves out values FIT cannot hold and says so, instead of wrapping or clamping them', () => {
    const out = encodeFitActivity({
      startMs: START_MS,
      endMs: START_MS + 3000,
      records: [{ tSec: T0, heartRate: 300, power: 250 }, { tSec: T0 + 1, heartRate: 150 }],
      rr: [{ tSec: T0, rrMs: 70_000 }, { tSec: T0, rrMs: 812.5 }],
      utcOffsetMin: 0,
    });
    expect(out.outOfRange).toEqual({ 'record.heartRate': 1, 'hrv.time': 1 });
    const fit = decode(out.bytes);
    expect(fit.messages.recordMesgs).toMatchObject([{ power: 250 }, { heartRate: 150 }]);
    expect(fit.messages.recordMesgs?.[0]?.heartRate).toBeUndefined();
    expect(fit.messages.hrvMesgs).toEqual([{ time: [0.813] }]);
  });

  it('packs RR intervals five per HRV message, in order', () => {
    const rr = Array.from({ length: 12 }, (_, i) => ({ tSec: T0 + Math.floor(i / 3), rrMs: 600 + i }));
    const fit = decode(encodeFitActivity({ startMs: START_MS, endMs: START_MS + 5000, records: [{ tSec: T0, heartRate: 100 }], rr, utcOffsetMin: 0 }).bytes);
    const times = (fit.messages.hrvMesgs ?? []).map((m) => m.time as number[]);
    expect(times.every((t) => t.length <= 5)).toBe(true);
    expect(times.flat()).toEqual(rr.map((r) => r.rrMs / 1000));
  });

  it('session and lap carry the exact duration and the average and maximum heart rate (a 90.045 s recording read as 91 s)', () => {
    const records = [
      { tSec: T0, heartRate: 100 },
      { tSec: T0 + 1, heartRate: 121, power: 200 },
      { tSec: T0 + 2, power: 210 },
      { tSec: T0 + 3, heartRate: 140 },
    ];
    const fit = decode(encodeFitActivity({ startMs: START_MS, endMs: START_MS + 90_045, records, rr: [], utcOffsetMin: 60 }).bytes);
    expect(fit.errors).toEqual([]);
    for (const summary of [fit.messages.sessionMesgs?.[0], fit.messages.lapMesgs?.[0]]) {
      expect(summary).toMatchObject({ totalElapsedTime: 90.045, totalTimerTime: 90.045, avgHeartRate: 120, maxHeartRate: 140 });
    }
    expect(fit.messages.activityMesgs?.[0]).toMatchObject({ totalTimerTime: 90.045 });
    // timestamps stay whole seconds: the start second and the end second that contains the last reading
    expect((fit.messages.sessionMesgs?.[0]?.startTime as Date).getTime()).toBe(T0 * 1000);
  });

  it('a session without heart rate has no heart-rate summary rather than zeros', () => {
    const fit = decode(encodeFitActivity({ startMs: START_MS, endMs: START_MS + 2000, records: [{ tSec: T0, power: 180 }], rr: [], utcOffsetMin: 0 }).bytes);
    expect(fit.messages.sessionMesgs?.[0]?.avgHeartRate).toBeUndefined();
    expect(fit.messages.sessionMesgs?.[0]?.maxHeartRate).toBeUndefined();
  });
});
