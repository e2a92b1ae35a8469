/** Session view chart data: one line per device on a shared axis, gaps kept, missed beats placed. */
import { describe, expect, it } from 'vitest';
import type { SessionView } from '../../../../../src/shared/contract/sessionView';
import { alignSeries, defaultDevices, panRange, sessionCharts, zoomRange } from '../../../../../src/renderer/views/sessions/sessionChartData';

const START = Date.UTC(2026, 11, 4, 10);

function view(partial: Partial<SessionView>): SessionView {
  return {
    sessionId: 'sub-01_ses-01_20261204T100000',
    subjectId: '01',
    sessionLabel: '01',
    participants: ['anna', 'ben'],
    state: 'complete',
    recovered: false,
    isLive: false,
    startMs: START,
    durationMs: 60_000,
    fromMs: 0,
    toMs: 60_000,
    devices: [],
    series: [],
    missedBeats: [],
    markers: [],
    links: [],
    linksLeftOut: 0,
    badLines: 0,
    rejectedRecords: 0,
    ...partial,
  };
}

describe('session chart data', () => {
  it('merges devices sampled at different times: skipped cells are undefined, gaps stay null', () => {
    const [x, a, b] = alignSeries([
      { x: [1, 2, 4], y: [10, null, 12] },
      { x: [1.5, 4], y: [20, 21] },
    ]);
    expect(x).toEqual([1, 1.5, 2, 4]);
    expect(a).toEqual([10, undefined, null, 12]);
    expect(b).toEqual([undefined, 20, undefined, 21]);
  });

  it('one chart per metric in the view order, RR with its missed beats, empty metrics left out', () => {
    const charts = sessionCharts(
      view({
        series: [
          { deviceId: 'ant:11:2', metric: 'power', isDecimated: false, tMs: [0, 1000], values: [200, 210] },
          { deviceId: 'ant:120:1', metric: 'rrInterval', isDecimated: false, tMs: [500, 1300, 9000], values: [800, 810, 790] },
          { deviceId: 'ant:120:1', metric: 'heartRate', isDecimated: false, tMs: [0, 1000], values: [75, 74] },
          { deviceId: 'ant:120:1', metric: 'speed', isDecimated: false, tMs: [], values: [] },
        ],
        missedBeats: [{ deviceId: 'ant:120:1', tMs: [9000], rrMs: [790], missedBeats: [9] }],
      }),
      () => '#fff',
    );
    expect(charts.map((c) => c.metric)).toEqual(['heartRate', 'rrInterval', 'power']);
    expect(charts[1]!.title).toBe('RR tachogram');
    expect(charts[1]!.missed).toEqual([{ x: (START + 9000) / 1000, y: 790, beats: 9, color: '#fff' }]);
    expect(charts[0]!.data[0]).toEqual([START / 1000, START / 1000 + 1]);
  });

  it('opens on the first participant’s devices', () => {
    const d = (deviceId: string, participantId: string): SessionView['devices'][number] => ({
      deviceId, participantId, metrics: [], firstMs: 0, lastMs: 0, durationMs: 0, samples: 1, rrIntervals: 0, missedBeats: 0, dropouts: 0, dropoutMs: 0, linkEvents: 0,
    });
    expect(defaultDevices(view({ devices: [d('b1', 'ben'), d('a1', 'anna'), d('a2', 'anna')] }))).toEqual(['a1', 'a2']);
  });

  it('zoom and pan stay inside the session', () => {
    expect(zoomRange(20_000, 40_000, 0.5, 60_000)).toEqual([25_000, 35_000]);
    expect(zoomRange(0, 10_000, 4, 60_000)).toEqual([0, 40_000]);
    expect(panRange(40_000, 60_000, 0.5, 60_000)).toEqual([40_000, 60_000]);
    expect(panRange(10_000, 30_000, -1, 60_000)).toEqual([0, 20_000]);
  });
});
