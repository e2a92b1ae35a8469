/** Class summary: time-weighted HR, zone times, dropouts count as no data, Keytel calories only with body data. */
import { describe, expect, it } from 'vitest';
import { participantSchema } from '../../../../src/shared/roster/participant';
import { addHrReading, keytelKcalPerMin, newTotals, summarise } from '../../../../src/shared/roster/summary';
import { zoneBoundsBpm, zoneOf } from '../../../../src/shared/roster/zones';

const ana = participantSchema.parse({ id: 'ana', name: 'Ana', maxHrBpm: 200, ageYears: 30, weightKg: 60, sex: 'female' });
const ben = participantSchema.parse({ id: 'ben', name: 'Ben' });

describe('zones', () => {
  it('uses 50/60/70/80/90 % of max HR by default and explicit bpm bounds when given', () => {
    expect(zoneBoundsBpm(ana)).toEqual([100, 120, 140, 160, 180]);
    expect([99, 100, 139, 140, 185].map((hr) => zoneOf(hr, zoneBoundsBpm(ana)))).toEqual([0, 1, 2, 3, 5]);
    const explicit = participantSchema.parse({ id: 'x', name: 'X', maxHrBpm: 200, zonesBpm: [90, 110, 130, 150, 170] });
    expect(zoneOf(135, zoneBoundsBpm(explicit))).toBe(3);
    expect(zoneBoundsBpm(ben)).toBeNull();
  });
});

describe('Keytel et al. (2005) calories', () => {
  it('matches the published coefficients (hand-computed vectors)', () => {
    // male, HR 150, 80 kg, 30 y: (-55.0969 + 94.635 + 15.904 + 6.051) / 4.184
    expect(keytelKcalPerMin(150, { sex: 'male', weightKg: 80, ageYears: 30 })).toBeCloseTo(14.6972, 3);
    // female, HR 150, 60 kg, 30 y: (-20.4022 + 67.08 - 7.578 + 2.22) / 4.184
    expect(keytelKcalPerMin(150, { sex: 'female', weightKg: 60, ageYears: 30 })).toBeCloseTo(9.8756, 3);
    expect(keytelKcalPerMin(40, { sex: 'male', weightKg: 50, ageYears: 20 })).toBe(0);
  });

  it('is never invented without age, weight and sex', () => {
    expect(keytelKcalPerMin(150, { sex: null, weightKg: 80, ageYears: 30 })).toBeNull();
  });
});

describe('class summary totals', () => {
  it('accumulates time-weighted HR, zone times and calories; a dropout adds nothing', () => {
    const t = newTotals();
    // 60 s at 130 (zone 2), one reading per second
    for (let s = 0; s <= 60; s++) addHrReading(t, s * 1000, 130, ana);
    // a 30 s dropout, then 60 s at 170 (zone 4)
    for (let s = 90; s <= 150; s++) addHrReading(t, s * 1000, 170, ana);
    const sum = summarise(ana, t);
    expect(sum.durationS).toBe(120);
    expect(sum.avgHrBpm).toBe(150);
    expect(sum.maxHrBpm).toBe(170);
    expect(sum.zoneS).toEqual([0, 0, 60, 0, 60, 0]);
    const expected = keytelKcalPerMin(130, ana)! + keytelKcalPerMin(170, ana)!;
    expect(sum.kcal).toBe(Math.round(expected));
    expect(sum.notes).toEqual([]);
  });

  it('leaves zones and calories empty and says why when the roster lacks the data', () => {
    const t = newTotals();
    for (let s = 0; s <= 10; s++) addHrReading(t, s * 1000, 120, ben);
    const sum = summarise(ben, t);
    expect(sum.zoneS).toBeNull();
    expect(sum.kcal).toBeNull();
    expect(sum.notes.join(' ')).toContain('calories needs age, weight and sex');
    expect(sum.avgHrBpm).toBe(120);
  });
});
