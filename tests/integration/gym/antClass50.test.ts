/**
 * A 50-athlete class on real ANT+ plumbing: 50 heart-rate straps across two simulated sticks in
 * scan mode (byte-level: data pages → driver → adapter → hub), assigned from a roster. Every
 * athlete receives exactly their strap's heart rate; tap-to-claim picks the strap whose HR rises;
 * a strap handed to another athlete moves with the assignment.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AntService } from '../../../src/main/ant/antService';
import { SimAntBus } from '../../../src/main/ant/sim/simBus';
import { SimAntStick } from '../../../src/main/ant/sim/simStick';
import type { SimAntDevice } from '../../../src/main/ant/sim/simDevices';
import { DeviceRegistry } from '../../../src/main/devices';
import { SampleHub } from '../../../src/main/hub';
import { RosterService } from '../../../src/main/roster/rosterService';

const N = 50;
const pad = (i: number): string => String(i).padStart(2, '0');
const strapNumber = (i: number): number => 1000 + i;
const SPARE = 2001;

/** A strap whose heart rate the test sets. */
function strap(deviceNumber: number, hr: Map<number, number>): SimAntDevice {
  return { kind: 'hr', deviceNumber, valueAt: () => ({ heartRate: hr.get(deviceNumber)! }), isInRange: () => true };
}

async function settle(): Promise<void> {
  for (let i = 0; i < 2; i++) await new Promise((r) => setImmediate(r));
}

describe('a class of 50 ANT+ straps on two simulated sticks in scan mode', () => {
  it('every athlete gets their strap; tap to claim; a handed-over strap follows the assignment', async () => {
    let clock = 0;
    const now = (): number => clock;
    const hr = new Map<number, number>();
    const bus = new SimAntBus();
    const sticks = [new SimAntStick({ key: 'stick-a' }), new SimAntStick({ key: 'stick-b' })];
    for (let i = 1; i <= N; i++) {
      hr.set(strapNumber(i), 80 + i);
      sticks[i % 2]!.addDevice(strap(strapNumber(i), hr));
    }
    hr.set(SPARE, 70);
    sticks[1]!.addDevice(strap(SPARE, hr));
    for (const s of sticks) bus.plug(s);

    const hub = new SampleHub({ now, reorderWindowMs: 0 });
    const devices = new DeviceRegistry(now);
    const notices: string[] = [];
    const roster = new RosterService({
      dataDir: mkdtempSync(join(tmpdir(), 'sr-gym-ant-')),
      devices,
      lastValue: (d, m) => hub.lastValue(d, m),
      notice: (_level, message) => notices.push(message),
      emit: () => undefined,
      now,
    });
    /** What each athlete's tile would show: the latest heart rate routed to them. */
    const shown = new Map<string, { deviceId: string; value: number }>();
    hub.subscribe((batch) => {
      devices.noteSamples(batch);
      roster.onSamples(batch);
      for (const s of batch) {
        if (s.metric !== 'heartRate') continue;
        const p = roster.participantFor(s.deviceId, 'heartRate', s.tMs);
        if (p) shown.set(p.id, { deviceId: s.deviceId, value: s.value });
      }
    });
    const ant = new AntService({ bus, sink: hub, registry: devices, now, mode: 'scan' });
    await ant.start();
    const run = async (ms: number): Promise<void> => {
      const end = clock + ms;
      while (clock < end) {
        clock += 50;
        bus.advanceTo(clock);
        ant.tick();
        hub.tick(clock);
        roster.tick(clock);
        await settle();
      }
    };

    const rows = ['id,name,max_hr_bpm,devices'];
    for (let i = 1; i <= N; i++) rows.push(`a${pad(i)},Athlete ${i},190,ant:120:${strapNumber(i)}`);
    expect(roster.importCsv(rows.join('\n'), 'replace')).toMatchObject({ ok: true, value: { imported: N } });
    await run(6000);

    expect(ant.status().sticks.map((s) => [s.key, s.mode, s.state, s.deviceCount])).toEqual([
      ['stick-a', 'scan', 'running', 25],
      ['stick-b', 'scan', 'running', 26],
    ]);
    for (let i = 1; i <= N; i++) {
      expect(shown.get(`a${pad(i)}`), `athlete ${i}`).toEqual({ deviceId: `ant:120:${strapNumber(i)}`, value: 80 + i });
    }
    // the spare strap belongs to nobody and was announced
    expect(roster.view().unassignedDeviceIds).toEqual([`ant:120:${SPARE}`]);
    expect(notices.some((n) => n.includes('New sensor in range'))).toBe(true);

    // tap to claim: athlete 5 presses, the spare strap's HR rises 12 bpm
    expect(roster.claimStart('a05').ok).toBe(true);
    await run(1000);
    hr.set(SPARE, 82);
    await run(2000);
    expect(roster.participant('a05')!.deviceIds).toEqual([`ant:120:${SPARE}`, `ant:120:${strapNumber(5)}`]);
    expect(shown.get('a05')).toEqual({ deviceId: `ant:120:${SPARE}`, value: 82 });

    // the spare strap is handed to athlete 6: its readings are theirs now; athlete 5 is back on their own
    expect(roster.assign(`ant:120:${SPARE}`, 'a06', 0).ok).toBe(true);
    hr.set(SPARE, 150);
    await run(1500);
    expect(shown.get('a06')).toEqual({ deviceId: `ant:120:${SPARE}`, value: 150 });
    expect(shown.get('a05')).toEqual({ deviceId: `ant:120:${strapNumber(5)}`, value: 85 });
    await ant.stop();
  });
});
