/**
 * Regression (issue 15 item 8): on the class TV page 22 of 50 tiles changed zone in 15 s, one of them
 * 7 times, because a heart rate with a couple of bpm of noise sat on a zone bound; and the 0.6 s colour
 * fade showed colours that are not in the legend. Zones now have hysteresis and the tile's colour
 * switches without a transition, in the legend's colours only.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ZONE_HYSTERESIS_BPM, zoneOf, zoneWithHysteresis } from '../../../../src/shared/roster/zones';

const BOUNDS = [95, 114, 133, 152, 171];

/** A deterministic noisy heart rate around `centre` (±2 bpm noise at 4 Hz, like the gym50 straps). */
function noisyHr(centre: number, n: number): number[] {
  let seed = 12345;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  return Array.from({ length: n }, () => centre + (rand() * 4 - 2));
}

function changes(zones: (number | null)[]): number {
  let n = 0;
  for (let i = 1; i < zones.length; i++) if (zones[i] !== zones[i - 1]) n++;
  return n;
}

describe('zone hysteresis', () => {
  it('a heart rate hovering on a bound does not flap (15 s at 4 Hz)', () => {
    const hr = noisyHr(133, 60);
    const plain = hr.map((v) => zoneOf(v, BOUNDS));
    let shown: number | null = null;
    const steady = hr.map((v) => (shown = zoneWithHysteresis(v, BOUNDS, shown)));
    expect(changes(plain)).toBeGreaterThan(10); // what the TV did before
    expect(changes(steady)).toBeLessThanOrEqual(1);
  });

  it('goes up at the bound and down only a margin below it', () => {
    expect(zoneWithHysteresis(133, BOUNDS, 2)).toBe(3);
    expect(zoneWithHysteresis(133 - ZONE_HYSTERESIS_BPM + 0.5, BOUNDS, 3)).toBe(3);
    expect(zoneWithHysteresis(133 - ZONE_HYSTERESIS_BPM - 0.5, BOUNDS, 3)).toBe(2);
    expect(zoneWithHysteresis(100, BOUNDS, 5)).toBe(1); // a big drop goes straight to the right zone
    expect(zoneWithHysteresis(150, BOUNDS, null)).toBe(3);
    expect(zoneWithHysteresis(150, null, 3)).toBeNull();
  });

  it('the TV tile has no colour fade, every tile colour is in the legend, and the source line is at least 16 px', () => {
    const css = readFileSync(join(import.meta.dirname, '..', '..', '..', '..', 'src', 'renderer', 'views', 'class', 'class.css'), 'utf8');
    const tileRule = /\.class-tile \{[^}]*\}/.exec(css)?.[0] ?? '';
    expect(tileRule).not.toMatch(/transition/);
    for (let zone = 0; zone <= 5; zone++) {
      expect(css, `zone ${zone}`).toMatch(new RegExp(`\\.class-tile\\[data-zone='${zone}'\\], \\.legend-item\\[data-zone='${zone}'\\] \\{ background: #[0-9a-f]{6}; \\}`));
    }
    expect(/\.ct-foot \{[^}]*\}/.exec(css)?.[0]).toMatch(/font-size: max\(16px,/);
  });
});
