/**
 * Issue 11 item 16. Symptoms guarded: roster import was quadratic (32 k rows: 44 s; 100 k rows
 * never finished) and accepted 600 rows while the roster file holds 500, so the next start renamed
 * the roster `.unreadable` and came up empty.
 */
import { describe, expect, it } from 'vitest';
import { MAX_PARTICIPANTS } from '../../../../src/shared/roster/participant';
import { makeGym } from './harness';

function csv(rows: number, name = (i: number) => `Athlete ${i}`): string {
  let text = 'name,devices\n';
  for (let i = 0; i < rows; i++) text += `${name(i)},ant:120:${i + 1}\n`;
  return text;
}

describe('roster import limits', () => {
  it('refuses more athletes than the roster file holds, with a clear message, and changes nothing', () => {
    const gym = makeGym();
    gym.roster.importCsv('name\nAna\n', 'merge');
    const r = gym.roster.importCsv(csv(600), 'replace');
    expect(r).toMatchObject({ ok: false, code: 'ROSTER_BAD_CSV', message: expect.stringContaining(`at most ${MAX_PARTICIPANTS}`) });
    expect(gym.roster.participants().map((p) => p.name)).toEqual(['Ana']);
  });

  it('refuses a merge that would pass the limit', () => {
    const gym = makeGym();
    expect(gym.roster.importCsv(csv(300), 'merge')).toMatchObject({ ok: true });
    const r = gym.roster.importCsv(csv(300, (i) => `Other ${i}`).replace(/ant:120:/g, 'ant:11:'), 'merge');
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('600 athletes') });
    expect(gym.roster.participants()).toHaveLength(300);
  });

  it('an accepted roster of the largest size loads again on the next start', () => {
    const gym = makeGym();
    expect(gym.roster.importCsv(csv(MAX_PARTICIPANTS, () => 'Same Name'), 'replace')).toMatchObject({ ok: true, value: { imported: MAX_PARTICIPANTS } });
    const ids = gym.roster.participants().map((p) => p.id);
    expect(new Set(ids).size).toBe(MAX_PARTICIPANTS);
    const restarted = makeGym(gym.dataDir);
    expect(restarted.roster.participants()).toHaveLength(MAX_PARTICIPANTS);
    expect(restarted.notices.filter((n) => n.level === 'error')).toEqual([]);
    expect(gym.roster.upsert({ name: 'One too many' })).toMatchObject({ ok: false, message: expect.stringContaining(`${MAX_PARTICIPANTS}`) });
  });

  it('answers a 100 000-row file at once instead of never (the limit is checked before any row is processed)', () => {
    const gym = makeGym();
    const r = gym.roster.importCsv(csv(100_000, () => 'Same Name'), 'replace');
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('100000 athletes') });
  });
});
