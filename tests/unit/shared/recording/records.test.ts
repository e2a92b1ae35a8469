import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32Hex, crc32Utf8 } from '../../../../src/shared/recording/crc32';
import {
  decodeRecordLine,
  encodeRecordLine,
  linkEventName,
  type SessionRecord,
} from '../../../../src/shared/recording/records';

function roundTrip(rec: SessionRecord): SessionRecord {
  const line = encodeRecordLine(rec);
  expect(line.endsWith('\n')).toBe(true);
  const decoded = decodeRecordLine(line.slice(0, -1));
  if (!decoded.ok) throw new Error(decoded.error.message);
  return decoded.record;
}

describe('record lines', () => {
  it('keep every RR value and device timing bit-exact (any double except -0, which JSON writes as 0)', () => {
    fc.assert(
      fc.property(
        fc.double({ noNaN: true, noDefaultInfinity: true }).filter((v) => !Object.is(v, -0)),
        fc.double({ min: 1e12, max: 2e12, noNaN: true }),
        fc.integer({ min: 0, max: 65535 }),
        fc.integer({ min: 0, max: 255 }),
        (rrMs, tMs, ticks, count) => {
          const rec: SessionRecord = {
            k: 's',
            t: tMs,
            d: 'ant:120:4711',
            m: 'rrInterval',
            v: rrMs,
            ti: { eventTicks: ticks, ticksPerSecond: 1024, eventCount: count, flags: 1 },
          };
          const back = roundTrip(rec);
          expect(back).toEqual(rec);
          if (back.k === 's') expect(Object.is(back.v, rrMs)).toBe(true);
        },
      ),
    );
  });

  it('round-trips raw transport records with their bytes', () => {
    const rec: SessionRecord = { k: 'raw', t: 1.5e12, d: 'ble:abc', tr: 'ble', ch: '2a37', b: '1048ff03' };
    expect(roundTrip(rec)).toEqual(rec);
  });

  it('reports a torn line (crash mid-write) as REC_TORN_RECORD', () => {
    const line = encodeRecordLine({ k: 'marker', t: 1, n: 1, label: 'start', src: 'ui' }).slice(0, -1);
    for (const cut of [1, 10, line.length - 9, line.length - 1]) {
      const r = decodeRecordLine(line.slice(0, cut));
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.error.code).toBe('REC_TORN_RECORD');
    }
  });

  it('reports a flipped byte as REC_TORN_RECORD', () => {
    const line = encodeRecordLine({ k: 's', t: 1, d: 'x', m: 'heartRate', v: 140 }).slice(0, -1);
    const flipped = line.replace('140', '141');
    const r = decodeRecordLine(flipped);
    expect(r.ok ? 'ok' : r.error.code).toBe('REC_TORN_RECORD');
  });

  it('reports a line with a valid CRC but an unknown shape as REC_BAD_RECORD', () => {
    const json = JSON.stringify({ k: 's', t: 1, d: 'x', m: 'notAMetric', v: 1 });
    const good = encodeRecordLine({ k: 's', t: 1, d: 'x', m: 'heartRate', v: 1 });
    expect(good).toContain('\t');
    const r = decodeRecordLine(`${json}\t${crc32Hex(crc32Utf8(json))}`);
    expect(r.ok ? 'ok' : r.error.code).toBe('REC_BAD_RECORD');
  });
});

describe('linkEventName', () => {
  it.each([
    ['live', null, 'added', 'connected'],
    ['live', 'connecting', 'connected', 'connected'],
    ['live', 'stale', 'reconnected', 'reconnected'],
    ['live', 'lost', 'reconnected', 'reconnected'],
    ['stale', 'live', 'no data for heartRate', 'stale'],
    ['lost', 'stale', 'gone', 'lost'],
  ] as const)('%s after %s (%s) is recorded as %s', (status, previous, reason, expected) => {
    expect(linkEventName(status, previous, reason)).toBe(expected);
  });
});
