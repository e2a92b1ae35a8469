/** A roster service on a fake clock with the real hub, device registry and sample-level simulator. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeviceRegistry } from '../../../../src/main/devices';
import { SampleHub } from '../../../../src/main/hub';
import { RosterService } from '../../../../src/main/roster/rosterService';
import { SimSource } from '../../../../src/main/sim/simSource';

/** What a test drives. */
export interface Gym {
  readonly roster: RosterService;
  readonly sim: SimSource;
  readonly hub: SampleHub;
  readonly devices: DeviceRegistry;
  readonly notices: { level: string; message: string; code?: string }[];
  readonly events: { name: string; payload: unknown }[];
  readonly dataDir: string;
  now(): number;
  /** Advance the fake clock in 50 ms steps, ticking simulator, hub and roster. */
  advance(ms: number): void;
}

/** A fresh temporary data directory. */
export function tempDataDir(): string {
  return mkdtempSync(join(tmpdir(), 'sr-roster-'));
}

/** Build a gym on a fake clock. */
export function makeGym(dataDir = tempDataDir()): Gym {
  let clock = 1_700_000_000_000;
  const now = (): number => clock;
  const hub = new SampleHub({ now, reorderWindowMs: 0 });
  const devices = new DeviceRegistry(now);
  const sim = new SimSource({ sink: hub, registry: devices, now });
  const notices: Gym['notices'] = [];
  const events: Gym['events'] = [];
  const roster = new RosterService({
    dataDir,
    devices,
    lastValue: (d, m) => hub.lastValue(d, m),
    notice: (level, message, code) => notices.push({ level, message, code }),
    emit: (name, payload) => events.push({ name, payload }),
    now,
  });
  hub.subscribe((b) => {
    devices.noteSamples(b);
    roster.onSamples(b);
  });
  return {
    roster,
    sim,
    hub,
    devices,
    notices,
    events,
    dataDir,
    now,
    advance(ms) {
      for (let t = 0; t < ms; t += 50) {
        clock += 50;
        sim.tick(clock);
        hub.tick(clock);
        roster.tick(clock);
      }
    },
  };
}
