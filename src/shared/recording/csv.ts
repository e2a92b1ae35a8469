/**
 * CSV layouts of the exports (RFC 4180: comma separated, CRLF-free `\n` lines, fields quoted when
 * they contain a comma, quote or newline). Empty cells mean "no value": they are never filled.
 */
import { METRICS, type MetricId } from '../metrics';
import type { SampleRecord } from './records';
import { csvField } from '../csvCell';

/** Columns of the long CSV (one row per sample). */
export const LONG_CSV_COLUMNS = [
  't_iso',
  't_ms',
  'participant',
  'device_id',
  'metric',
  'value',
  'unit',
  'event_ticks',
  'ticks_per_second',
  'event_count',
  'flags',
] as const;

/** Columns of the events CSV (markers, connection events, clock offsets). */
export const EVENTS_CSV_COLUMNS = ['t_iso', 't_ms', 'kind', 'device_id', 'event', 'label', 'detail'] as const;

/** Leading columns of the wide CSV; one column per device metric follows. */
export const WIDE_CSV_TIME_COLUMNS = ['t_iso', 't_unix_s', 't_rel_s'] as const;

/** Quote a CSV field when needed and neutralise formulas (one mechanism: src/shared/csvCell.ts). */
export { csvField };

/** One CSV line from fields (already strings). */
export function csvLine(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\n`;
}

/** A number as written in CSVs: shortest exact round-trip text; undefined becomes an empty cell. */
export function csvNumber(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

/** ISO time of an epoch-ms time (millisecond precision; `t_ms` keeps the full value). */
export function isoOf(tMs: number): string {
  return new Date(tMs).toISOString();
}

/** The long-CSV line of one sample record. */
export function longCsvLine(r: SampleRecord, participant: string): string {
  const ti = r.ti;
  return csvLine([
    isoOf(r.t),
    String(r.t),
    participant,
    r.d,
    r.m,
    String(r.v),
    METRICS[r.m as MetricId].unit,
    csvNumber(ti?.eventTicks),
    csvNumber(ti?.ticksPerSecond),
    csvNumber(ti?.eventCount),
    csvNumber(ti?.flags),
  ]);
}

/** Wide-CSV column name of a device metric: `<metric>[<device id>]`, e.g. `heartRate[ant:120:4711]`. */
export function wideColumnName(deviceId: string, metric: string): string {
  return `${metric}[${deviceId}]`;
}
