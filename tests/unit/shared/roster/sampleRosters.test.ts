/**
 * Regression (issue 15 item 10): the README told gyms to import a roster for `sim:strap01…50`, but no
 * sample CSV shipped. Each gym scenario now has one in resources/rosters/ that imports cleanly and
 * assigns exactly the scenario's straps; the template for real straps imports too. A CSV with errors on
 * two lines names both lines, and a sensor listed three times points at the line that has it first.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { antDeviceId } from '../../../../src/shared/device';
import { ANT_PROFILES } from '../../../../src/shared/ant/profiles';
import { rosterFromCsv } from '../../../../src/shared/roster/csv';
import { parseScenario } from '../../../../src/shared/scenario';
import { BUILTIN_SCENARIOS } from '../../../../src/shared/scenarios';

const ROSTERS = join(import.meta.dirname, '..', '..', '..', '..', 'resources', 'rosters');

function scenarioDeviceIds(name: string): string[] {
  const parsed = parseScenario(BUILTIN_SCENARIOS[name]!);
  if (!parsed.ok) throw new Error(parsed.message);
  return parsed.value.devices.map((d) => (d.transport === 'ant' ? antDeviceId(ANT_PROFILES.hr.deviceType, d.antDeviceNumber!) : `sim:${d.id}`));
}

describe('sample rosters', () => {
  it.each(['gym50', 'ant-gym'])('resources/rosters/%s.csv imports and gives every strap of the scenario to one athlete', (name) => {
    const r = rosterFromCsv(readFileSync(join(ROSTERS, `${name}.csv`), 'utf8'));
    if (!r.ok) throw new Error(r.errors.join('\n'));
    const assigned = r.participants.flatMap((p) => p.deviceIds);
    expect(new Set(assigned)).toEqual(new Set(scenarioDeviceIds(name)));
    expect(r.participants.every((p) => p.deviceIds.length === 1 && p.terraUserId !== null && p.maxHrBpm !== null)).toBe(true);
  });

  it('the template for real straps imports', () => {
    const r = rosterFromCsv(readFileSync(join(ROSTERS, 'template.csv'), 'utf8'));
    expect(r.ok && r.participants.map((p) => p.deviceIds)).toEqual([['ant:120:12345'], ['ble:AbCdEf012345==']]);
  });

  it('names both bad lines, and a sensor used three times points at the line that has it first', () => {
    expect(rosterFromCsv('name,max_hr_bpm\nAna,fast\nBen,190\nCid,slow\n')).toEqual({
      ok: false,
      errors: ['line 2: max_hr_bpm "fast" is not a number', 'line 4: max_hr_bpm "slow" is not a number'],
    });
    expect(rosterFromCsv('name,devices\nAna,sim:strap01\nBen,sim:strap01\nCid,sim:strap01\n')).toEqual({
      ok: false,
      errors: [
        'line 3: sensor "sim:strap01" is already assigned on line 2 (one sensor, one athlete)',
        'line 4: sensor "sim:strap01" is already assigned on line 2 (one sensor, one athlete)',
      ],
    });
  });
});
