/**
 * A 50-athlete class through the real host over a real WebSocket (web mode, port 0): the gym50
 * scenario's straps stream at 4 Hz, the roster is imported over the contract, every athlete's
 * readings are routed to them, a strap handed to another athlete follows the assignment, and the
 * class summary has every athlete.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../src/main/host';
import { loadScenario } from '../../../src/main/sim/scenarioFiles';
import { startWebServer, type WebServer } from '../../../src/main/web/webServer';
import type { Sample } from '../../../src/shared/sample';
import { connectContract } from '../../support/contractClient';
import { waitFor } from '../../support/wait';

const N = 50;
const pad = (i: number): string => String(i).padStart(2, '0');

function rosterCsv(): string {
  const rows = ['id,name,max_hr_bpm,age_years,weight_kg,sex,devices'];
  for (let i = 1; i <= N; i++) rows.push(`a${pad(i)},Athlete ${i},${175 + (i % 20)},${25 + (i % 30)},${60 + (i % 25)},${i % 2 ? 'f' : 'm'},sim:strap${pad(i)}`);
  return rows.join('\n');
}

let host: Host | null = null;
let server: WebServer | null = null;
afterEach(async () => {
  await server?.close();
  await host?.stop();
});

describe('a 50-athlete class through the host', () => {
  it('routes every athlete’s strap to them, follows a handover, and summarises all 50', async () => {
    const scenario = loadScenario('gym50');
    if (!scenario.ok) throw new Error(scenario.message);
    host = createHost({ mode: 'web', dataDir: mkdtempSync(join(tmpdir(), 'sr-gym-')), scenario: scenario.value });
    await host.start();
    server = await startWebServer(host, { host: '127.0.0.1', port: 0, uiDir: null, token: null });
    const ui = await connectContract(server.port);

    const imported = await ui.call('roster.importCsv', { csv: rosterCsv(), mode: 'replace' });
    expect(imported).toEqual({ ok: true, value: { imported: N } });
    const routed = new Map<string, number>();
    const h = host;
    h.hub.subscribe((batch: readonly Sample[]) => {
      for (const s of batch) {
        if (s.metric !== 'heartRate') continue;
        const p = h.roster.routeSample(s);
        if (p) routed.set(`${p.id} ${s.deviceId}`, (routed.get(`${p.id} ${s.deviceId}`) ?? 0) + 1);
      }
    });
    expect(await ui.call('roster.startClass', {})).toMatchObject({ ok: true });
    // Wait for readings, not for a duration: three seconds of data (12 readings at 4 Hz) per athlete.
    const routedOwn = (i: number): number => routed.get(`a${pad(i)} sim:strap${pad(i)}`) ?? 0;
    await waitFor(() => Array.from({ length: N }, (_, k) => routedOwn(k + 1)).every((n) => n >= 12), '12 readings for every athlete', 60_000);

    // every athlete received their own strap's readings, and nobody else's
    expect(routed.size).toBe(N);
    // the UI got samples of every strap
    const seenByUi = (): Set<string> => new Set(ui.eventsOf('samples').flatMap((p) => p.samples.map((s) => s.deviceId)));
    await waitFor(() => seenByUi().size >= N, 'the UI to receive samples of every strap', 20_000);
    for (let i = 1; i <= N; i++) expect(seenByUi().has(`sim:strap${pad(i)}`)).toBe(true);

    // strap 07 is handed to athlete 08: from now on it is a08's data (and a07 has none)
    expect(await ui.call('roster.assign', { deviceId: 'sim:strap07', participantId: 'a08', position: 0 })).toMatchObject({ ok: true });
    routed.clear();
    await waitFor(() => (routed.get('a08 sim:strap07') ?? 0) >= 4, 'four of strap 07’s readings routed to a08', 20_000);
    expect([...routed.keys()].filter((k) => k.startsWith('a07 '))).toEqual([]);
    // a08's own strap is now the backup: not forwarded while strap07 is fresh
    expect(routed.get('a08 sim:strap08') ?? 0).toBe(0);

    const ended = await ui.call('roster.endClass', {});
    if (!ended.ok) throw new Error(ended.message);
    expect(ended.value.athletes).toHaveLength(N);
    for (const a of ended.value.athletes) {
      expect(a.durationS).toBeGreaterThanOrEqual(2);
      expect(a.avgHrBpm).toBeGreaterThan(60);
      expect(a.kcal).not.toBeNull();
    }
    expect(ui.eventsOf('roster').length).toBeGreaterThan(0);
    ui.close();
  });
});
