/**
 * The session the XDF tests export: a simulated strap (RR, a dropout) and trainer recorded through
 * the real simulator, hub, registry and recorder, markers with non-ASCII labels, and a Bluetooth
 * strap sent by a UI process whose clock runs 12.5 ms ahead of the host's (with its measured offsets).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { HostClockMap } from '../../../src/main/recording/export/xdfClock';
import { readRecords } from '../../../src/main/recording/reader';
import type { HeaderRecord, SessionRecord } from '../../../src/shared/recording/records';
import type { ScenarioInput } from '../../../src/shared/scenario';
import { recordSimulated, type SimSession } from './simSession';

export const XDF_SCENARIO: ScenarioInput = {
  name: 'xdf-test',
  seed: 11,
  devices: [
    {
      id: 'hr',
      name: 'Strap',
      kind: 'hr',
      metrics: { heartRate: { type: 'sine', mean: 120, amplitude: 25, periodS: 30 } },
      rateHz: 4,
      events: [{ type: 'dropout', atS: 20, forS: 8 }],
      battery: { startPct: 80, drainPctPerHour: 5 },
    },
    {
      id: 'bike',
      name: 'Trainer',
      kind: 'bike',
      metrics: { power: { type: 'intervals', low: 120, high: 310, workS: 15, restS: 10 }, cadence: { type: 'steady', value: 88 } },
      rateHz: 2,
    },
  ],
};

/** Marker labels with characters that must come back byte for byte. */
export const XDF_MARKERS: readonly [number, string][] = [
  [5_000, 'start'],
  [15_000, 'Übung 2 — Sprint «fast» 🚴'],
  [30_000, 'a <b> & "c"'],
  [44_000, '結束'],
];

/** Record the XDF test session (markers set during it). */
export async function recordXdfSession(): Promise<SimSession> {
  const byTime = new Map(XDF_MARKERS);
  return recordSimulated(XDF_SCENARIO, 45, [{ id: 'anna', deviceIds: [] }], ({ elapsedMs, nowMs, svc, hub }) => {
    const label = byTime.get(elapsedMs);
    if (label !== undefined) svc.marker(label, 'test');
    if (elapsedMs === 50) svc.noteSender(UI_DEVICE, UI_CLIENT);
    if (elapsedMs % 5000 === 100) {
      svc.recordClockOffset({ clientId: UI_CLIENT, offsetMs: UI_AHEAD_MS + (elapsedMs % 3) * 0.1, rttMs: 1.5, tMs: nowMs });
    }
    if (elapsedMs % 1000 === 200) {
      hub.push({ tMs: nowMs + UI_AHEAD_MS, deviceId: UI_DEVICE, metric: 'heartRate', value: 60 + (elapsedMs / 1000) });
    }
  });
}

/** Every record of a session's recording file, in order. */
export async function recordsOf(sessionDir: string): Promise<SessionRecord[]> {
  const out: SessionRecord[] = [];
  const name = readdirSync(sessionDir).find((f) => f.endsWith('_recording.jsonl'))!;
  await readRecords(join(sessionDir, name), (r) => out.push(r));
  return out;
}

/** The host clock map of a recording, fed every sync record (the mapping the export uses). */
export function clockOf(records: readonly SessionRecord[]): HostClockMap {
  const map = new HostClockMap(records[0] as HeaderRecord);
  for (const r of records) if (r.k === 'sync') map.onSync(r);
  return map;
}


/** The Bluetooth strap sent by a UI process. */
export const UI_DEVICE = 'ble:c8-aa-01';
/** That UI process's client id. */
export const UI_CLIENT = 'ws-7';
/** Its clock minus the host's (ms). */
export const UI_AHEAD_MS = 12.5;
