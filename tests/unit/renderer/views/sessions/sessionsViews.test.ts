/** The sessions views render what a researcher must see (static markup; no DOM needed). */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RecordingStatusView, SessionSummaryView } from '../../../../../src/shared/contract/recording';
import { CurrentSession } from '../../../../../src/renderer/views/sessions/CurrentSession';
import { ExportButtons } from '../../../../../src/renderer/views/sessions/ExportButtons';
import { SensorChecklist } from '../../../../../src/renderer/views/sessions/SensorChecklist';
import { SessionsList } from '../../../../../src/renderer/views/sessions/SessionsList';

const noop = (): void => undefined;

const SESSION: SessionSummaryView = {
  id: 'sub-01_ses-02_20261125T093000',
  subjectId: '01',
  sessionId: '02',
  startIso: '2026-11-25T09:30:00.000Z',
  durationMs: 3_725_000,
  participants: ['anna', 'ben'],
  sizeBytes: 57_800_000,
  state: 'complete',
  recovered: true,
  markerCount: 3,
};

describe('sessions views', () => {
  it('the list shows participants, duration, size and the recovered flag', () => {
    const html = renderToStaticMarkup(createElement(SessionsList, { sessions: [SESSION], exportProgress: {}, onExport: noop }));
    expect(html).toContain('anna, ben');
    expect(html).toContain('1:02:05');
    expect(html).toContain('57.8 MB');
    expect(html).toContain('Recovered');
    expect(html).toContain('3 markers');
  });

  it('export buttons show progress while an export runs and are disabled', () => {
    const html = renderToStaticMarkup(createElement(ExportButtons, { sessionId: 'x', progress: 0.42, onExport: noop }));
    expect(html).toContain('42%');
    expect(html).toMatch(/<button disabled=""/);
  });

  it('the checklist marks missing sensors', () => {
    const html = renderToStaticMarkup(
      createElement(SensorChecklist, {
        required: [
          { id: 'ant:120:1', name: 'Chest strap' },
          { id: 'ant:11:2', name: 'Power meter' },
        ],
        missing: ['ant:11:2'],
        onStart: noop,
      }),
    );
    expect(html).toMatch(/class="missing"[^>]*>✗ Power meter/);
    expect(html).toMatch(/class="ok"[^>]*>✓ Chest strap/);
  });

  it('the current session shows elapsed time, size and markers', () => {
    const status: RecordingStatusView = {
      isRecording: true,
      sessionId: SESSION.id,
      startMs: 1000,
      elapsedMs: 65_000,
      sizeBytes: 2048,
      sampleCount: 1234,
      markers: [{ n: 1, tMs: 31_000, label: 'sprint', source: 'keyboard' }],
      recoveredSessionIds: [],
      autoStartWaitingFor: null,
    };
    const html = renderToStaticMarkup(createElement(CurrentSession, { status, onMarker: noop, onStop: noop, markerShortcut: 'M' }));
    expect(html).toContain('1:05');
    expect(html).toContain('2.0 kB');
    expect(html).toContain('0:30</span> sprint');
    expect(html).toContain('Add marker (M)');
  });
});
