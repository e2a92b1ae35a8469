/**
 * Issue 11 item 9: CSV formula injection. Symptom guarded: participant names, Terra user ids,
 * device ids and marker labels came out unescaped in roster and session CSVs, so `=HYPERLINK(…)`
 * ran in a spreadsheet. Cells starting with = + - @ tab or CR are neutralised; numbers stay numbers.
 */
import { describe, expect, it } from 'vitest';
import { csvField, neutralizeFormula } from '../../../src/shared/csvCell';
import { longCsvLine } from '../../../src/shared/recording/csv';
import { rosterFromCsv, rosterToCsv } from '../../../src/shared/roster/csv';
import { summaryToCsv } from '../../../src/shared/roster/summary';

describe('CSV cells', () => {
  it.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+cmd|x', "'+cmd|x"],
    ['-2+3', "'-2+3"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tTAB', "'\tTAB"],
    ['\r=x', `"'\r=x"`],
  ])('neutralises %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });

  it('keeps real numbers numeric and plain text as it is', () => {
    for (const n of ['-12.5', '+3', '-1e-3', '0', '72']) expect(csvField(n)).toBe(n);
    expect(neutralizeFormula('Ana')).toBe('Ana');
    expect(csvField('a,b')).toBe('"a,b"');
  });

  it('roster export neutralises names and Terra ids, and import gives the original text back', () => {
    const csv = rosterToCsv([
      { id: 'p1', name: '=cmd|"/c calc"!A0', terraUserId: '@evil', tokenRef: null, maxHrBpm: null, zonesBpm: null, colour: '#e6194b', ageYears: null, weightKg: null, sex: null, deviceIds: ['ant:120:1'] },
    ]);
    expect(csv).not.toMatch(/(^|,)[=+\-@]/m);
    const back = rosterFromCsv(csv);
    expect(back.ok && back.participants[0]).toMatchObject({ name: '=cmd|"/c calc"!A0', terraUserId: '@evil' });
  });

  it('session CSV rows neutralise participant and device ids; the class summary neutralises names', () => {
    const line = longCsvLine({ k: 's', t: 1, d: '=ble:x', m: 'heartRate', v: -1 }, '+p');
    expect(line.split(',')).toEqual(expect.arrayContaining(["'=ble:x", "'+p", '-1']));
    const summary = summaryToCsv({
      startedAtMs: 0,
      endedAtMs: 1000,
      athletes: [{ participantId: 'p', name: '@SUM(1+1)', durationS: 1, avgHrBpm: null, maxHrBpm: null, zoneS: null, kcal: null, notes: ['-x'] }],
    } as unknown as Parameters<typeof summaryToCsv>[0]);
    expect(summary).toContain("'@SUM(1+1)");
    expect(summary).toContain("'-x");
  });
});
