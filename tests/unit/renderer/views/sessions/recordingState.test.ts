/**
 * Recording state a researcher must see (issue 15 item 7): the header light only while recording,
 * with the elapsed time; the next session number after a session (not 01/01 again); the export
 * folder path with Open folder (desktop) or Copy path (browser).
 */
import { createElement } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { ExportResult } from '../../../../../src/renderer/views/sessions/ExportResult';
import { nextSessionId, suggestedIds } from '../../../../../src/renderer/views/sessions/nextSession';
import { RecordingIndicatorView, formatElapsed } from '../../../../../src/renderer/views/sessions/RecordingIndicator';

const noop = (): void => undefined;

describe('the header recording light', () => {
  it('is absent while nothing records', () => {
    expect(renderToStaticMarkup(createElement(RecordingIndicatorView, { status: { isRecording: false, elapsedMs: 0, sessionId: null }, onOpen: noop }))).toBe('');
    expect(renderToStaticMarkup(createElement(RecordingIndicatorView, { status: null, onOpen: noop }))).toBe('');
  });

  it('shows REC and the elapsed time as hh:mm:ss while recording', () => {
    const html = renderToStaticMarkup(
      createElement(RecordingIndicatorView, { status: { isRecording: true, elapsedMs: 12 * 60_000 + 34_900 + 3_600_000 * 0, sessionId: 'sub-01_ses-02_x' }, onOpen: noop }),
    );
    expect(html).toContain('REC');
    expect(html).toContain('00:12:34');
    expect(formatElapsed(3 * 3_600_000 + 5 * 60_000 + 7_000)).toBe('03:05:07');
  });
});

describe('the next session id', () => {
  const recorded = [
    { subjectId: 'P01', sessionId: '01', startIso: '2026-12-01T09:00:00Z' },
    { subjectId: 'P01', sessionId: '02', startIso: '2026-12-02T09:00:00Z' },
    { subjectId: 'P02', sessionId: '05', startIso: '2026-12-03T09:00:00Z' },
  ];

  it('follows the session just recorded, keeping the zero padding', () => {
    expect(nextSessionId('P02', '05', recorded)).toBe('06');
    expect(nextSessionId('P09', '09', [])).toBe('10');
    expect(nextSessionId('P09', 'ride3', [])).toBe('ride4');
    expect(nextSessionId('P09', 'baseline', [])).toBe('baseline02');
  });

  it('skips numbers the participant already has', () => {
    expect(nextSessionId('P01', '01', recorded)).toBe('03');
  });

  it('opens on the last participant and their next session, 01/01 only when nothing was recorded', () => {
    expect(suggestedIds(recorded)).toEqual({ subjectId: 'P02', sessionId: '06' });
    expect(suggestedIds([])).toEqual({ subjectId: '01', sessionId: '01' });
  });
});

describe('the export outcome', () => {
  const outcome = { ok: true as const, outDir: '/home/lab/.config/Sensor Relay/data/sessions/sub-01_ses-02_20261204T101500', fileCount: 5, warnings: [] };

  it('names the folder in full and offers to copy it in a browser', () => {
    const html = renderToStaticMarkup(createElement(ExportResult, { sessionId: 's', outcome }));
    expect(html).toContain('Wrote 5 files to');
    expect(html).toContain(`value="${outcome.outDir}"`);
    expect(html).toContain('Copy path');
    expect(html).not.toContain('Open folder');
  });

  it('offers to open the folder in the desktop app', () => {
    const html = renderToStaticMarkup(createElement(ExportResult, { sessionId: 's', outcome, onOpenFolder: noop }));
    expect(html).toContain('Open folder');
    expect(html).not.toContain('Copy path');
  });

  it('shows a failed export as the host’s sentence', () => {
    const html = renderToStaticMarkup(createElement(ExportResult, { sessionId: 's', outcome: { ok: false, message: 'The disk is full.' } }));
    expect(html).toContain('role="alert"');
    expect(html).toContain('The disk is full.');
  });
});
