/**
 * Exports of a simulated session recorded through the real simulator, hub and registry:
 * RR exactness end to end (simulated strap = recording = long CSV = FIT HRV), FIT files that
 * Garmin's decoder accepts with records matching the session, and dropouts that stay gaps.
 */
import { readFileSync } from 'node:fs';
import { Decoder, Stream } from '@garmin/fitsdk';
import { beforeAll, describe, expect, it } from 'vitest';
import { readRecords } from '../../../src/main/recording/reader';
import type { SessionRecord } from '../../../src/shared/recording/records';
import { curveBaseValue, nextBeat, rrTicksToMs, type BeatState, type Curve, type ScenarioInput } from '../../../src/shared/scenario';
import { join } from 'node:path';
import { parseCsv, recordSimulated, type SimSession } from './simSession';

const HR_CURVE: Curve = { type: 'sine', mean: 135, amplitude: 30, periodS: 40 };
const DROPOUT = { atS: 20, forS: 8 };
const DURATION_S = 60;

const SCENARIO: ScenarioInput = {
  name: 'export-test',
  seed: 7,
  devices: [
    {
      id: 'hr',
      name: 'Strap',
      kind: 'hr',
      metrics: { heartRate: HR_CURVE },
      events: [{ type: 'dropout', ...DROPOUT }],
      battery: { startPct: 80, drainPctPerHour: 5 },
    },
    {
      id: 'bike',
      name: 'Trainer',
      kind: 'bike',
      metrics: {
        power: { type: 'intervals', low: 120, high: 310, workS: 15, restS: 10 },
        cadence: { type: 'steady', value: 88 },
        speed: { type: 'ramp', from: 6, to: 11.25, overS: 60 },
        distance: { type: 'ramp', from: 0, to: 530.5, overS: 60 },
      },
      rateHz: 2,
    },
  ],
};

let session: SimSession;
let files: readonly string[];
let records: SessionRecord[];

beforeAll(async () => {
  session = await recordSimulated(SCENARIO, DURATION_S, [
    { id: 'anna', deviceIds: ['sim:hr'] },
    { id: 'ben', deviceIds: ['sim:bike'] },
  ]);
  const progress: number[] = [];
  const exported = await session.svc.export(session.sessionId, { onProgress: (f) => progress.push(f) });
  if (!exported.ok) throw new Error(exported.message);
  files = exported.value.files;
  expect(progress.at(-1)).toBe(1);
  records = [];
  await readRecords(join(session.sessionDir, session.manifest.files.records), (r) => records.push(r));
});

function fileEnding(suffix: string): string {
  const f = files.find((p) => p.endsWith(suffix));
  if (!f) throw new Error(`no exported file ending in ${suffix}: ${files.join(', ')}`);
  return f;
}

function decodeFit(path: string): ReturnType<Decoder['read']> & { isIntact: boolean } {
  const decoder = new Decoder(Stream.fromBuffer(readFileSync(path)));
  const isIntact = decoder.checkIntegrity();
  return { ...decoder.read(), isIntact };
}

const rrOf = (list: readonly { deviceId?: string; d?: string; metric?: string; m?: string; value?: number; v?: number }[]): number[] =>
  list.filter((s) => (s.metric ?? s.m) === 'rrInterval').map((s) => (s.value ?? s.v)!);

describe('RR exactness end to end', () => {
  it('simulated strap ground truth = recorded RR = long CSV RR = FIT HRV RR (to FIT’s 1 ms resolution)', () => {
    const truthRr = rrOf(session.truth);
    expect(truthRr.length).toBeGreaterThan(80);
    // The strap's beats follow the HR curve: each RR is 60/HR at the previous beat, in whole 1/1024 s ticks.
    let state: BeatState = { lastBeatTicks: 0, beatCount: 0 };
    const expectedByTicks = new Map<number, number>();
    while (state.lastBeatTicks < (DURATION_S + 1) * 1024) {
      const next = nextBeat(state, curveBaseValue(HR_CURVE, state.lastBeatTicks / 1024));
      state = next.state;
      expectedByTicks.set(state.lastBeatTicks, rrTicksToMs(next.rrTicks));
    }
    for (const s of session.truth.filter((x) => x.metric === 'rrInterval')) {
      expect(s.value).toBe(expectedByTicks.get(s.timing!.eventTicks!));
    }

    const recordedRr = records.flatMap((r) => (r.k === 's' && r.m === 'rrInterval' ? [r] : []));
    expect(recordedRr.map((r) => r.v)).toEqual(truthRr);
    expect(recordedRr.map((r) => r.ti)).toEqual(session.truth.filter((s) => s.metric === 'rrInterval').map((s) => s.timing));

    const long = parseCsv(readFileSync(fileEnding('_samples-long.csv'), 'utf8'));
    const col = (name: string): number => long.header.indexOf(name);
    const csvRr = long.rows.filter((r) => r[col('metric')] === 'rrInterval');
    expect(csvRr.map((r) => Number(r[col('value')]))).toEqual(truthRr);
    expect(csvRr.map((r) => Number(r[col('event_ticks')]))).toEqual(recordedRr.map((r) => r.ti!.eventTicks));
    expect(csvRr.every((r) => r[col('ticks_per_second')] === '1024' && r[col('participant')] === 'anna')).toBe(true);

    const fit = decodeFit(fileEnding('_part-anna_activity.fit'));
    const fitRr = (fit.messages.hrvMesgs ?? []).flatMap((m) => (m.time ?? []) as number[]);
    expect(fitRr).toEqual(truthRr.map((rr) => Math.round(rr) / 1000));
  });
});

describe('FIT export', () => {
  it.each(['anna', 'ben'])('%s: Garmin’s decoder accepts the file and its records match the 1 Hz session table', (who) => {
    const fit = decodeFit(fileEnding(`_part-${who}_activity.fit`));
    expect(fit.isIntact).toBe(true);
    expect(fit.errors).toEqual([]);
    const m = fit.messages;
    expect(m.fileIdMesgs?.[0]).toMatchObject({ type: 'activity' });
    expect(m.sessionMesgs).toHaveLength(1);
    expect(m.lapMesgs).toHaveLength(1);
    expect(m.activityMesgs).toHaveLength(1);
    expect(m.sessionMesgs?.[0]?.totalElapsedTime).toBeGreaterThanOrEqual(DURATION_S);

    const wide = parseCsv(readFileSync(fileEnding(`_part-${who}_wide-1hz.csv`), 'utf8'));
    const fields = { heartRate: 'heartRate', power: 'power', cadence: 'cadence', speed: 'speed', distance: 'distance' } as const;
    const colOf = (metric: string): number => wide.header.findIndex((h) => h.startsWith(`${metric}[`));
    const withData = wide.rows.filter((row) => Object.keys(fields).some((f) => colOf(f) >= 0 && row[colOf(f)] !== ''));
    const fitRecords = m.recordMesgs ?? [];
    expect(fitRecords).toHaveLength(withData.length);
    expect(fitRecords.length).toBeGreaterThan(40);
    withData.forEach((row, i) => {
      const rec = fitRecords[i]!;
      expect((rec.timestamp as Date).getTime() / 1000).toBe(Number(row[wide.header.indexOf('t_unix_s')]));
      const cell = (f: string): number | undefined => (colOf(f) >= 0 && row[colOf(f)] !== '' ? Number(row[colOf(f)]) : undefined);
      const round = (v: number | undefined, scale: number): number | undefined => (v === undefined ? undefined : Math.round(v * scale) / scale);
      expect(rec.heartRate).toBe(round(cell('heartRate'), 1));
      expect(rec.power).toBe(round(cell('power'), 1));
      expect(rec.cadence).toBe(round(cell('cadence'), 1));
      if (cell('speed') === undefined) expect(rec.speed).toBeUndefined();
      else expect(rec.speed).toBeCloseTo(round(cell('speed'), 1000)!, 6);
      if (cell('distance') === undefined) expect(rec.distance).toBeUndefined();
      else expect(rec.distance).toBeCloseTo(round(cell('distance'), 100)!, 6);
    });
    if (who === 'ben') expect(m.hrvMesgs ?? []).toEqual([]);
  });
});

describe('gaps', () => {
  const inDropout = (tMs: number): boolean => {
    const s = (tMs - session.startMs) / 1000;
    return s > DROPOUT.atS + 0.05 && s < DROPOUT.atS + DROPOUT.forS;
  };

  it('a dropout is a gap in the recording: no samples, a stale event, then reconnected (after the state at start)', () => {
    const hr = records.filter((r) => r.k === 's' && r.d === 'sim:hr');
    expect(hr.length).toBeGreaterThan(100);
    expect(hr.filter((r) => r.k === 's' && inDropout(r.t))).toEqual([]);
    expect(hr).toHaveLength(session.truth.filter((s) => s.deviceId === 'sim:hr').length);
    const links = records.flatMap((r) => (r.k === 'link' && r.d === 'sim:hr' ? [r.e] : []));
    expect(links).toEqual(['connecting', 'connected', 'stale', 'reconnected']);
  });

  it('the long CSV has no rows in the gap and never a zero heart rate', () => {
    const long = parseCsv(readFileSync(fileEnding('_samples-long.csv'), 'utf8'));
    const col = (name: string): number => long.header.indexOf(name);
    const hr = long.rows.filter((r) => r[col('device_id')] === 'sim:hr' && r[col('metric')] === 'heartRate');
    expect(hr.filter((r) => inDropout(Number(r[col('t_ms')])))).toEqual([]);
    expect(hr.some((r) => Number(r[col('value')]) === 0)).toBe(false);
    expect(hr).toHaveLength(session.truth.filter((s) => s.deviceId === 'sim:hr' && s.metric === 'heartRate').length);
  });

  it('the wide CSV leaves the gap seconds empty (no carry-forward, no zero) and keeps a row for each second', () => {
    const wide = parseCsv(readFileSync(fileEnding('_part-anna_wide-1hz.csv'), 'utf8'));
    const rel = wide.header.indexOf('t_rel_s');
    const hrCol = wide.header.indexOf('heartRate[sim:hr]');
    expect(hrCol).toBeGreaterThan(0);
    const originSec = Math.floor(session.startMs / 1000);
    const startOffsetS = session.startMs / 1000 - originSec;
    expect(wide.rows.map((r) => Number(r[rel]))).toEqual(wide.rows.map((_, i) => i));
    for (const row of wide.rows) {
      const secFromStart = Number(row[rel]) - startOffsetS;
      const isGap = secFromStart >= DROPOUT.atS + 0.1 && secFromStart + 1 <= DROPOUT.atS + DROPOUT.forS;
      if (isGap) expect(row[hrCol]).toBe('');
      else if (secFromStart >= 0 && secFromStart < DURATION_S - 1 && !(secFromStart + 1 > DROPOUT.atS && secFromStart < DROPOUT.atS + DROPOUT.forS)) {
        expect(row[hrCol]).not.toBe('');
      }
      expect(row[hrCol]).not.toBe('0');
    }
    expect(wide.rows.filter((r) => r[hrCol] === '').length).toBeGreaterThanOrEqual(DROPOUT.forS - 1);
  });
});
