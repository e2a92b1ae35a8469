/**
 * Per-second views of a session for one participant: the wide CSV text and the FIT record rows.
 * Bins hold the last value received in each UTC second (see `SecondBins`); empty seconds stay empty.
 */
import { csvLine, csvNumber, isoOf, WIDE_CSV_TIME_COLUMNS, wideColumnName } from '../../../shared/recording/csv';
import type { SecondBins } from '../../../shared/recording/secondBins';
import type { FitRecordRow } from './fitActivity';

const SEP = '\u0000';

/** Column keys of one participant: [key, deviceId, metric], in order of first appearance. */
function participantColumns(bins: SecondBins, participantId: string): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const key of bins.keys()) {
    const [who, deviceId, metric] = key.split(SEP) as [string, string, string];
    if (who === participantId) out.push([key, deviceId, metric]);
  }
  return out;
}

/** The wide CSV of one participant, from the first second of the session to the second of `endMs`. */
export function wideCsvText(bins: SecondBins, participantId: string, endMs: number): string {
  const cols = participantColumns(bins, participantId);
  const rows = Math.max(bins.binCount, Math.floor(endMs / 1000) - bins.originSec + 1);
  const parts: string[] = [csvLine([...WIDE_CSV_TIME_COLUMNS, ...cols.map(([, d, m]) => wideColumnName(d, m))])];
  for (let bin = 0; bin < rows; bin++) {
    const sec = bins.originSec + bin;
    const cells = cols.map(([key]) => csvNumber(bins.get(key, bin)));
    parts.push(csvLine([isoOf(sec * 1000), String(sec), String(bin), ...cells]));
  }
  return parts.join('');
}

const FIT_METRICS = ['heartRate', 'power', 'cadence', 'speed', 'distance'] as const;

/**
 * FIT record rows of one participant: for each FIT field, the first device (in order of first
 * appearance) that provides the metric; a row for every second with at least one value.
 */
export function fitRows(bins: SecondBins, participantId: string): FitRecordRow[] {
  const cols = participantColumns(bins, participantId);
  const source: Partial<Record<(typeof FIT_METRICS)[number], string>> = {};
  for (const m of FIT_METRICS) source[m] = cols.find(([, , metric]) => metric === m)?.[0];
  const rows: FitRecordRow[] = [];
  for (let bin = 0; bin < bins.binCount; bin++) {
    const row: { -readonly [K in keyof FitRecordRow]: FitRecordRow[K] } = { tSec: bins.originSec + bin };
    let hasValue = false;
    for (const m of FIT_METRICS) {
      const key = source[m];
      const v = key === undefined ? undefined : bins.get(key, bin);
      if (v !== undefined) {
        row[m] = v;
        hasValue = true;
      }
    }
    if (hasValue) rows.push(row);
  }
  return rows;
}
