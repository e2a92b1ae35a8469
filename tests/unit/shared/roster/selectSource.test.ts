/**
 * Source selection with fallback, on a fake clock: the preferred HR source supplies HR while
 * fresh; when it goes stale the backup takes over within 2 s; when it returns it takes over again.
 */
import { describe, expect, it } from 'vitest';
import { METRICS } from '../../../../src/shared/metrics';
import { lastSource, selectSource } from '../../../../src/shared/roster/selectSource';

/** Two straps at 4 Hz on a fake clock; the preferred one can be silenced. */
function simulate(preferredSilentFromMs: number, preferredBackAtMs: number, untilMs: number, stepMs = 50) {
  const seen = new Map<string, number>();
  const lastSeen = (d: string) => seen.get(d) ?? null;
  const timeline: { tMs: number; active: string | null; isBackup: boolean }[] = [];
  for (let t = 0; t <= untilMs; t += stepMs) {
    if (t % 250 === 0) {
      if (t < preferredSilentFromMs || t >= preferredBackAtMs) seen.set('strap-a', t);
      seen.set('strap-b', t);
    }
    const s = selectSource(['strap-a', 'strap-b'], 'heartRate', lastSeen, t);
    timeline.push({ tMs: t, active: s?.deviceId ?? null, isBackup: s?.isBackup ?? false });
  }
  return timeline;
}

describe('selectSource', () => {
  it('uses the preferred source while it is fresh, even when the backup is fresh too', () => {
    const t = simulate(Infinity, Infinity, 20_000);
    expect(new Set(t.map((x) => x.active))).toEqual(new Set(['strap-a']));
  });

  it('hands over to the backup within 2 s of the preferred going stale, and back when it returns', () => {
    const silentFrom = 10_000;
    const backAt = 30_000;
    const t = simulate(silentFrom, backAt, 40_000);
    const lastPreferredReading = silentFrom - 250;
    const staleAt = lastPreferredReading + METRICS.heartRate.staleAfterMs!;
    const firstBackup = t.find((x) => x.active === 'strap-b')!;
    expect(firstBackup.tMs).toBeGreaterThan(staleAt);
    expect(firstBackup.tMs - staleAt).toBeLessThanOrEqual(2000);
    expect(firstBackup.isBackup).toBe(true);
    // never without a source during the handover
    expect(t.filter((x) => x.tMs > 0 && x.active === null)).toEqual([]);
    const firstReturn = t.find((x) => x.tMs >= backAt && x.active === 'strap-a')!;
    expect(firstReturn.tMs).toBe(backAt);
    expect(t.filter((x) => x.tMs >= backAt).every((x) => x.active === 'strap-a' && !x.isBackup)).toBe(true);
  });

  it('returns null when no source is fresh, and lastSource names the last one heard', () => {
    const seen = new Map([['a', 1000], ['b', 3000]]);
    const fn = (d: string) => seen.get(d) ?? null;
    expect(selectSource(['a', 'b'], 'heartRate', fn, 60_000)).toBeNull();
    expect(lastSource(['a', 'b'], 'heartRate', fn)).toEqual({ deviceId: 'b', tMs: 3000 });
    expect(selectSource([], 'heartRate', fn, 0)).toBeNull();
  });

  it('picks per metric: a power meter supplies power while the strap supplies HR', () => {
    const seen = new Map([['strap\0heartRate', 900], ['pm\0power', 950]]);
    const fn = (d: string, m: string) => seen.get(`${d}\0${m}`) ?? null;
    expect(selectSource(['strap', 'pm'], 'heartRate', fn, 1000)?.deviceId).toBe('strap');
    expect(selectSource(['strap', 'pm'], 'power', fn, 1000)).toMatchObject({ deviceId: 'pm', rank: 1 });
  });
});
