/** Roster CSV: round trip, spreadsheet quoting, and per-line messages that reject the whole file. */
import { describe, expect, it } from 'vitest';
import { parseCsvRows, rosterFromCsv, rosterToCsv } from '../../../../src/shared/roster/csv';
import { BAD_CSV, GOOD_CSV } from './csv.vectors';

describe('roster CSV import', () => {
  it('reads quoted fields, lists, defaults and auto ids from a spreadsheet export', () => {
    const r = rosterFromCsv(GOOD_CSV);
    if (!r.ok) throw new Error(r.errors.join('\n'));
    expect(r.participants.map((p) => p.name)).toEqual(['Ana "The Rocket" Ruiz', 'Smith, Ben', 'Chloé']);
    const [ana, ben, chloe] = r.participants;
    expect(ana).toMatchObject({
      id: 'ana',
      terraUserId: 'terra-ana',
      maxHrBpm: 190,
      colour: '#ff5d6c',
      ageYears: 34,
      weightKg: 61.5,
      sex: 'female',
      deviceIds: ['ant:120:1001', 'ble:aa'],
    });
    expect(ben).toMatchObject({ id: 'ben', terraUserId: null, maxHrBpm: null, zonesBpm: [100, 120, 140, 160, 175], deviceIds: [] });
    expect(chloe!.id).toBe('chlo');
    expect(chloe!.colour).toMatch(/^#[0-9a-f]{6}$/i);
  });

  it('exports what it imports (round trip)', () => {
    const first = rosterFromCsv(GOOD_CSV);
    if (!first.ok) throw new Error('bad vector');
    const again = rosterFromCsv(rosterToCsv(first.participants));
    if (!again.ok) throw new Error(again.errors.join('\n'));
    expect(again.participants).toEqual(first.participants);
  });

  for (const v of BAD_CSV) {
    it(`rejects the whole file with a line message: ${v.why}`, () => {
      const r = rosterFromCsv(v.csv);
      expect(r.ok).toBe(false);
      if (!r.ok) expect(r.errors.join('\n')).toContain(v.message);
    });
  }

  it('reports every bad line, not only the first', () => {
    const r = rosterFromCsv('name,max_hr_bpm\nAna,x\nBen,180\nCai,y\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors).toEqual([expect.stringContaining('line 2'), expect.stringContaining('line 4')]);
  });

  it('keeps line numbers right after a quoted field with a line break', () => {
    const rows = parseCsvRows('name,notes\n"Ana","two\nlines"\nBen,x\n');
    expect(rows.ok && rows.rows.map((r) => r.line)).toEqual([1, 2, 4]);
  });
});
