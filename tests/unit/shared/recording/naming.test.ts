import { describe, expect, it } from 'vitest';
import {
  compactStamp,
  parseSessionBaseName,
  participantFileNames,
  sanitizeLabel,
  sessionBaseName,
} from '../../../../src/shared/recording/naming';

describe('BIDS-like session names', () => {
  it.each([
    ['P-01', 'P01'],
    ['sub 7/ä', 'sub7'],
    ['../../etc', 'etc'],
    ['---', 'x'],
  ])('sanitizes "%s" to "%s" so file names stay portable and inside the data folder', (raw, clean) => {
    expect(sanitizeLabel(raw)).toBe(clean);
  });

  it('names a session sub-<id>_ses-<id>_<local start time>', () => {
    const startMs = Date.UTC(2026, 10, 25, 22, 5, 9, 400);
    expect(sessionBaseName('P-01', 'baseline', startMs, 0)).toBe('sub-P01_ses-baseline_20261125T220509');
    expect(sessionBaseName('7', '2', startMs, 60)).toBe('sub-7_ses-2_20261125T230509');
  });

  it('formats the stamp across a date change in the local zone', () => {
    expect(compactStamp(Date.UTC(2026, 11, 31, 23, 30, 0), 120)).toBe('20270101T013000');
  });

  it('parses its own names back, including the -n suffix of same-second sessions', () => {
    expect(parseSessionBaseName('sub-P01_ses-a_20261125T220509-2')).toEqual({
      subject: 'P01',
      session: 'a',
      stamp: '20261125T220509',
    });
    expect(parseSessionBaseName('notes.txt')).toBeNull();
  });

  it('names per-participant exports with the participant label', () => {
    expect(participantFileNames('sub-1_ses-1_20261125T220509', 'Anna K.')).toEqual({
      wideCsv: 'sub-1_ses-1_20261125T220509_part-AnnaK_wide-1hz.csv',
      fit: 'sub-1_ses-1_20261125T220509_part-AnnaK_activity.fit',
    });
  });
});
