/** The record reader: CRC on the bytes as read, shape checks, bad lines counted, growing files read on. */
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../../../src/main/recording/reader';
import { METRIC_IDS } from '../../../../src/shared/metrics';
import { decodeRecordJson, encodeRecordLine, recordSchema, type SessionRecord } from '../../../../src/shared/recording/records';
import { tempDataDir } from './fakes';

const T0 = Date.UTC(2026, 10, 25, 9, 30);

async function readAll(path: string, startByte?: number, startLineNumber?: number): Promise<{ records: SessionRecord[]; summary: Awaited<ReturnType<typeof readRecords>> }> {
  const records: SessionRecord[] = [];
  const summary = await readRecords(path, (r) => records.push(r), { chunkBytes: 64, startByte, startLineNumber });
  return { records, summary };
}

describe('readRecords', () => {
  it('keeps good lines, counts corrupt and malformed ones with their line numbers, and reports a torn tail', async () => {
    const path = join(tempDataDir('reader'), 'r.jsonl');
    const good = encodeRecordLine({ k: 's', t: T0 + 0.125, d: 'ant:120:1', m: 'rrInterval', v: 812.5, ti: { eventTicks: 1234, ticksPerSecond: 1024, flags: 1 } });
    const flipped = good.replace('812.5', '812.6'); // CRC no longer matches
    const badShape = encodeRecordLine({ k: 's', t: T0, d: 'x', m: 'notAMetric', v: 1 } as unknown as SessionRecord);
    const withExtraKey = `${JSON.stringify({ k: 'marker', t: T0 + 5, n: 1, label: 'go', src: 'ui', extra: true })}`;
    const extraLine = encodeRecordLine(JSON.parse(withExtraKey) as SessionRecord);
    writeFileSync(path, `${good}${flipped}\r\n${badShape}\n${extraLine}{"k":"s","t":`);
    const { records, summary } = await readAll(path);
    expect(records).toEqual([
      { k: 's', t: T0 + 0.125, d: 'ant:120:1', m: 'rrInterval', v: 812.5, ti: { eventTicks: 1234, ticksPerSecond: 1024, flags: 1 } },
      { k: 'marker', t: T0 + 5, n: 1, label: 'go', src: 'ui' }, // unknown keys are dropped by the schema
    ]);
    expect(summary.badLines).toBe(2);
    expect(summary.firstBadLines.map((b) => [b.lineNumber, b.code])).toEqual([
      [2, 'REC_TORN_RECORD'],
      [4, 'REC_BAD_RECORD'],
    ]);
    expect(summary.tailBytes).toBe('{"k":"s","t":'.length);
    expect(summary.endByte).toBe(summary.totalBytes - summary.tailBytes);
  });

  it('reads a growing file on from where the last read stopped, keeping line numbers', async () => {
    const path = join(tempDataDir('reader-grow'), 'r.jsonl');
    const line = (i: number): string => encodeRecordLine({ k: 's', t: T0 + i, d: 'sim:strap', m: 'heartRate', v: 60 + i });
    writeFileSync(path, `${line(0)}${line(1)}${line(2).slice(0, 10)}`);
    const first = await readAll(path);
    expect(first.records).toHaveLength(2);
    appendFileSync(path, `${line(2).slice(10)}${line(3)}not a record\n`);
    const next = await readAll(path, first.summary.endByte, first.summary.lineCount);
    expect(next.records.map((r) => (r.k === 's' ? r.v : null))).toEqual([62, 63]);
    expect(next.summary.firstBadLines.map((b) => b.lineNumber)).toEqual([5]);
  });

  it('the fast path for sample records decodes exactly what the schema decodes', () => {
    const num = fc.double({ noNaN: true, noDefaultInfinity: true });
    const sample = fc.record(
      {
        k: fc.constant('s'),
        t: num,
        d: fc.string({ maxLength: 20 }),
        m: fc.oneof(fc.constantFrom(...METRIC_IDS), fc.string({ maxLength: 8 })),
        v: fc.oneof(num, fc.string({ maxLength: 3 })),
        ti: fc.record({ eventTicks: fc.oneof(num, fc.string({ maxLength: 2 })), flags: fc.integer(), other: fc.string({ maxLength: 3 }) }, { requiredKeys: [] }),
        extra: fc.integer(),
      },
      { requiredKeys: ['k', 't'] },
    );
    fc.assert(
      fc.property(sample, (value) => {
        const json = JSON.stringify(value);
        const fast = decodeRecordJson(json);
        const schema = recordSchema.safeParse(JSON.parse(json));
        expect(fast.ok).toBe(schema.success);
        if (fast.ok && schema.success) expect(fast.record).toEqual(schema.data);
      }),
      { numRuns: 500 },
    );
  });
});
