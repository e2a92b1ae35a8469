import { appendFileSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRecords } from '../../../../src/main/recording/reader';
import { findUnfinished, readManifestIn, recoverSession, repairTail } from '../../../../src/main/recording/recovery';
import { SessionRecorder } from '../../../../src/main/recording/sessionRecorder';
import { encodeRecordLine, type SessionRecord } from '../../../../src/shared/recording/records';
import { sessionFileNames } from '../../../../src/shared/recording/naming';
import { tempDataDir } from './fakes';

const T0 = Date.UTC(2026, 10, 25, 9, 0, 0);

function lines(n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += encodeRecordLine({ k: 's', t: T0 + i, d: 'sim:hr1', m: 'heartRate', v: 100 + (i % 50) });
  return out;
}

describe('repairTail', () => {
  it('cuts a torn last line (crash mid-write) and keeps every complete line', () => {
    const path = join(tempDataDir('tail'), 'r.jsonl');
    const good = lines(10);
    const torn = encodeRecordLine({ k: 's', t: T0 + 99, d: 'sim:hr1', m: 'heartRate', v: 150 }).slice(0, 20);
    writeFileSync(path, good + torn);
    expect(repairTail(path)).toBe(Buffer.byteLength(torn));
    expect(readFileSync(path, 'utf8')).toBe(good);
  });

  it('also drops a complete-looking last line whose CRC does not match', () => {
    const path = join(tempDataDir('crc'), 'r.jsonl');
    const good = lines(3);
    const bad = encodeRecordLine({ k: 's', t: T0 + 9, d: 'x', m: 'power', v: 250 }).replace('250', '251');
    writeFileSync(path, good + bad);
    repairTail(path);
    expect(readFileSync(path, 'utf8')).toBe(good);
  });

  it('finds the last valid line far back in a large file (tail window grows)', () => {
    const path = join(tempDataDir('big'), 'r.jsonl');
    const good = lines(5000);
    writeFileSync(path, `${good}${'x'.repeat(200_000)}`);
    repairTail(path);
    expect(statSync(path).size).toBe(Buffer.byteLength(good));
  });

  it('leaves an intact file untouched', () => {
    const path = join(tempDataDir('ok'), 'r.jsonl');
    writeFileSync(path, lines(4));
    expect(repairTail(path)).toBe(0);
  });
});

describe('recoverSession', () => {
  it('recovers a session that was never stopped: torn record cut, end appended, manifest recovered', async () => {
    const dataDir = tempDataDir('recover');
    const rec = new SessionRecorder(dataDir, { subjectId: 'P1', sessionId: 'S1' }, T0, { flushEveryMs: 60_000 });
    for (let i = 0; i < 40; i++) rec.sample({ tMs: T0 + i * 250, deviceId: 'sim:hr1', metric: 'heartRate', value: 120 + i });
    rec.marker(T0 + 5000, 'sprint', 'ui');
    rec.rawMessage({ tMs: T0 + 10, deviceId: 'ble:a', transport: 'ble', characteristic: '2a37', bytes: new Uint8Array([0, 77]) });
    rec.flush(); // what a crash leaves: flushed data, no end record, manifest still "recording"
    const files = sessionFileNames(rec.header.base);
    const recordsPath = join(rec.dir, files.records);
    appendFileSync(recordsPath, '{"k":"s","t":17');
    expect(findUnfinished(dataDir)).toEqual([rec.dir]);

    const result = await recoverSession(rec.dir);
    expect(result.ok).toBe(true);
    const manifest = readManifestIn(rec.dir);
    if (!manifest.ok) throw new Error(manifest.message);
    expect(manifest.value).toMatchObject({ state: 'complete', recovered: true, durationMs: 39 * 250 });
    expect(manifest.value.counts).toMatchObject({ samples: 40, markers: 1, raw: 1 });
    expect(manifest.value.markers).toEqual([{ n: 1, tMs: T0 + 5000, label: 'sprint', source: 'ui' }]);
    expect(manifest.value.repairedBytes).toBe('{"k":"s","t":17'.length);
    expect(findUnfinished(dataDir)).toEqual([]);

    const kinds: SessionRecord['k'][] = [];
    const summary = await readRecords(recordsPath, (r) => kinds.push(r.k));
    expect(summary.badLines).toBe(0);
    expect(summary.tailBytes).toBe(0);
    expect(kinds[0]).toBe('header');
    expect(kinds.at(-1)).toBe('end');
    expect(kinds.filter((k) => k === 's')).toHaveLength(40);
  });

  it('reports a session folder without a manifest with a clear code', async () => {
    const r = await recoverSession(tempDataDir('empty'));
    expect(r.ok ? 'ok' : r.code).toBe('REC_UNKNOWN_SESSION');
  });
});
