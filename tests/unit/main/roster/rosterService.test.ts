/**
 * The roster service with simulated straps on a fake clock: persistence across restarts,
 * tap-to-claim, announcements, routing with fallback, handing a strap over, and class summaries.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeGym, tempDataDir } from './harness';

function addStraps(gym: ReturnType<typeof makeGym>, n: number, bpm = 70): string[] {
  const ids: string[] = [];
  for (let i = 1; i <= n; i++) ids.push(gym.sim.addSimple('hr', `Strap ${i}`, { heartRate: bpm }));
  return ids;
}

describe('roster persistence', () => {
  it('remembers participants, assignments and the ignore list across a restart', () => {
    const dir = tempDataDir();
    const a = makeGym(dir);
    const ana = a.roster.upsert({ name: 'Ana', maxHrBpm: 190, terraUserId: 'terra-ana' });
    if (!ana.ok) throw new Error(ana.message);
    expect(a.roster.assign('ant:120:1', ana.value.id).ok).toBe(true);
    a.roster.ignore('ant:120:99');
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);

    const b = makeGym(dir);
    expect(b.roster.participants()).toEqual(a.roster.participants());
    expect(b.roster.ownerOf('ant:120:1')?.name).toBe('Ana');
    expect(b.roster.view().ignoredDeviceIds).toEqual(['ant:120:99']);
  });

  it('keeps an unreadable roster file aside and says so, instead of overwriting it', () => {
    const dir = tempDataDir();
    writeFileSync(join(dir, 'roster.json'), '{"version":1,"participants":[{"name":');
    const gym = makeGym(dir);
    expect(gym.roster.participants()).toEqual([]);
    expect(gym.notices[0]).toMatchObject({ level: 'error', code: 'ROSTER_BAD_FILE' });
    const kept = readdirSync(dir).find((f) => f.startsWith('roster.json.unreadable-'));
    expect(kept && readFileSync(join(dir, kept), 'utf8')).toContain('"participants"');
  });

  it('imports CSV all or nothing', () => {
    const gym = makeGym();
    expect(gym.roster.importCsv('name,max_hr_bpm\nAna,190\nBen,185\n', 'merge')).toEqual({ ok: true, value: { imported: 2 } });
    const bad = gym.roster.importCsv('name,max_hr_bpm\nCai,180\nDee,oops\n', 'replace');
    expect(bad).toMatchObject({ ok: false, code: 'ROSTER_BAD_CSV' });
    expect(!bad.ok && bad.message).toContain('line 3: max_hr_bpm "oops" is not a number');
    expect(gym.roster.participants().map((p) => p.name)).toEqual(['Ana', 'Ben']);
    expect(gym.roster.exportCsv()).toContain('ana,Ana,,,190');
  });
});

describe('tap to claim', () => {
  it('assigns the strap whose HR rises, moving it from another athlete', async () => {
    const gym = makeGym();
    const straps = addStraps(gym, 6);
    gym.roster.importCsv('id,name\nana,Ana\nben,Ben\n', 'merge');
    gym.roster.assign(straps[3]!, 'ben');
    gym.advance(2000);
    expect(gym.roster.claimStart('ana').ok).toBe(true);
    gym.advance(1000);
    gym.sim.setValue(straps[3]!, 'heartRate', 78); // below the 10 bpm rise: not yet
    gym.advance(1000);
    expect(gym.roster.ownerOf(straps[3]!)?.id).toBe('ben');
    gym.sim.setValue(straps[3]!, 'heartRate', 92);
    gym.advance(1000);
    expect(gym.roster.ownerOf(straps[3]!)?.id).toBe('ana');
    expect(gym.roster.participant('ben')!.deviceIds).toEqual([]);
    expect(gym.events).toContainEqual({ name: 'rosterClaim', payload: { participantId: 'ana', outcome: 'assigned', deviceId: straps[3] } });
    expect(gym.notices.at(-1)!.message).toContain('moved from Ben');
    expect(gym.roster.view().claim).toBeNull();
  });

  it('takes an absolute threshold and times out with a message when nothing rises', () => {
    const gym = makeGym();
    const straps = addStraps(gym, 3, 100);
    gym.roster.importCsv('id,name\nana,Ana\n', 'merge');
    gym.advance(1000);
    gym.roster.claimStart('ana', { timeoutMs: 5000 });
    gym.advance(6000);
    expect(gym.events.at(-1)).toMatchObject({ name: 'rosterClaim', payload: { outcome: 'timeout', deviceId: null } });
    expect(gym.notices.at(-1)).toMatchObject({ level: 'warning' });
    gym.roster.claimStart('ana', { absoluteBpm: 140 });
    gym.sim.setValue(straps[1]!, 'heartRate', 141);
    gym.advance(500);
    expect(gym.roster.ownerOf(straps[1]!)?.id).toBe('ana');
  });
});

describe('new sensors in range', () => {
  it('announces each unassigned sensor once, in one notice, and never an ignored one', async () => {
    const gym = makeGym();
    gym.roster.ignore('sim:hr3');
    addStraps(gym, 3);
    gym.advance(3000);
    const found = gym.events.filter((e) => e.name === 'rosterDeviceFound').map((e) => (e.payload as { deviceId: string }).deviceId);
    expect(found).toEqual(['sim:hr1', 'sim:hr2']);
    expect(gym.notices.filter((n) => n.message.includes('new sensors in range'))).toHaveLength(1);
    await Promise.resolve();
    expect(gym.roster.view().unassignedDeviceIds).toEqual(['sim:hr1', 'sim:hr2']);
  });
});

describe('per-athlete routing', () => {
  it('routes only the active source: backup takes over when the preferred strap goes stale, and gives back', () => {
    const gym = makeGym();
    const [chest, arm] = addStraps(gym, 2);
    gym.roster.importCsv(`id,name,devices\nana,Ana,${chest};${arm}\n`, 'merge');
    gym.advance(2000);
    expect(gym.roster.participantFor(chest!, 'heartRate')?.id).toBe('ana');
    expect(gym.roster.participantFor(arm!, 'heartRate')).toBeNull();
    gym.sim.dropout(chest!);
    gym.advance(5000 + 2000);
    expect(gym.roster.activeSource('ana', 'heartRate')).toMatchObject({ deviceId: arm, isBackup: true });
    expect(gym.roster.participantFor(arm!, 'heartRate')?.id).toBe('ana');
    gym.sim.reconnect(chest!);
    gym.advance(500);
    expect(gym.roster.activeSource('ana', 'heartRate')).toMatchObject({ deviceId: chest, isBackup: false });
    expect(gym.roster.routeSample({ tMs: gym.now(), deviceId: arm!, metric: 'heartRate', value: 70 })).toBeNull();
  });

  it('a strap handed to another athlete routes to them from then on', () => {
    const gym = makeGym();
    const [s] = addStraps(gym, 1);
    gym.roster.importCsv(`id,name,devices\nana,Ana,${s}\nben,Ben,\n`, 'merge');
    gym.advance(1000);
    expect(gym.roster.participantFor(s!, 'heartRate')?.id).toBe('ana');
    gym.roster.assign(s!, 'ben');
    expect(gym.roster.participantFor(s!, 'heartRate')?.id).toBe('ben');
  });
});

describe('classes', () => {
  it('summarises each athlete from their active HR source and saves the summary', () => {
    const gym = makeGym();
    const [a, b] = addStraps(gym, 3);
    gym.sim.setValue(a!, 'heartRate', 150);
    gym.sim.setValue(b!, 'heartRate', 120);
    gym.roster.importCsv(
      `id,name,max_hr_bpm,age_years,weight_kg,sex,devices\nana,Ana,190,30,60,f,${a}\nben,Ben,,,,,${b}\ncai,Cai,180,,,,\n`,
      'merge',
    );
    gym.advance(1000);
    expect(gym.roster.endClass()).toMatchObject({ ok: false, code: 'ROSTER_NO_CLASS' });
    expect(gym.roster.startClass().ok).toBe(true);
    gym.advance(60_000);
    const ended = gym.roster.endClass();
    if (!ended.ok) throw new Error(ended.message);
    const [ana, ben, cai] = ended.value.athletes;
    expect(ana).toMatchObject({ name: 'Ana', avgHrBpm: 150, maxHrBpm: 150 });
    expect(ana!.durationS).toBeGreaterThanOrEqual(59);
    expect(ana!.zoneS![3]).toBe(ana!.durationS); // 150 of 190 = 79 %: zone 3
    expect(ana!.kcal).toBeGreaterThan(0);
    expect(ben).toMatchObject({ avgHrBpm: 120, kcal: null, zoneS: null });
    expect(cai).toMatchObject({ durationS: 0, avgHrBpm: null });
    expect(cai!.notes).toContain('no heart-rate data during the class');
    const csv = gym.roster.summaryCsv();
    expect(csv.ok && csv.value.csv.split('\r\n')[1]).toMatch(/^Ana,ana,/);
    expect(existsSync(join(gym.dataDir, 'classes'))).toBe(true);
  });
});

describe('editing participants', () => {
  it('changes only the fields given, keeps sensors, and gives new athletes distinct colours', () => {
    const gym = makeGym();
    const ana = gym.roster.upsert({ name: 'Ana' });
    const ben = gym.roster.upsert({ name: 'Ben' });
    if (!ana.ok || !ben.ok) throw new Error('upsert failed');
    expect(ana.value.colour).not.toBe(ben.value.colour);
    gym.roster.assign('ant:120:1', ana.value.id);
    const edited = gym.roster.upsert({ id: ana.value.id, maxHrBpm: 188 });
    expect(edited.ok && edited.value).toMatchObject({ name: 'Ana', maxHrBpm: 188, deviceIds: ['ant:120:1'], colour: ana.value.colour });
    expect(gym.roster.upsert({ id: ana.value.id, maxHrBpm: 999 })).toMatchObject({ ok: false, code: 'CONTRACT_BAD_ARGS' });
    expect(gym.roster.upsert({})).toMatchObject({ ok: false });
  });
});
