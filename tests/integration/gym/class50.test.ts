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
import WebSocket from 'ws';
import { createHost, type Host } from '../../../src/main/host';
import { loadScenario } from '../../../src/main/sim/scenarioFiles';
import { startWebServer, type WebServer } from '../../../src/main/web/webServer';
import type { Sample } from '../../../src/shared/sample';

const N = 50;
const pad = (i: number): string => String(i).padStart(2, '0');

function rosterCsv(): string {
  const rows = ['id,name,max_hr_bpm,age_years,weight_kg,sex,devices'];
  for (let i = 1; i <= N; i++) rows.push(`a${pad(i)},Athlete ${i},${175 + (i % 20)},${25 + (i % 30)},${60 + (i % 25)},${i % 2 ? 'f' : 'm'},sim:strap${pad(i)}`);
  return rows.join('\n');
}

/** A contract client over a real WebSocket. */
class WsClient {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: unknown) => void>();
  readonly events: { name: string; payload: unknown }[] = [];
  constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const m = JSON.parse(String(data)) as { kind: string; id?: number; reply?: unknown; name?: string; payload?: unknown };
      if (m.kind === 'reply') this.pending.get(m.id!)?.(m.reply);
      else this.events.push({ name: m.name!, payload: m.payload });
    });
  }
  static async open(url: string): Promise<WsClient> {
    const ws = new WebSocket(url);
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new WsClient(ws);
  }
  call(name: string, args: unknown): Promise<{ ok: boolean; value?: unknown; message?: string }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve as (r: unknown) => void);
      this.ws.send(JSON.stringify({ kind: 'call', id, name, args }));
    });
  }
  close(): void {
    this.ws.close();
  }
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
    const ui = await WsClient.open(`ws://127.0.0.1:${server.port}/contract`);

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
    await new Promise((r) => setTimeout(r, 2500));

    // every athlete received their own strap's readings, and nobody else's
    for (let i = 1; i <= N; i++) expect(routed.get(`a${pad(i)} sim:strap${pad(i)}`) ?? 0).toBeGreaterThan(4);
    expect(routed.size).toBe(N);
    // the UI got samples of every strap
    const seen = new Set(
      ui.events.filter((e) => e.name === 'samples').flatMap((e) => (e.payload as { samples: Sample[] }).samples.map((s) => s.deviceId)),
    );
    for (let i = 1; i <= N; i++) expect(seen.has(`sim:strap${pad(i)}`)).toBe(true);

    // strap 07 is handed to athlete 08: from now on it is a08's data (and a07 has none)
    expect(await ui.call('roster.assign', { deviceId: 'sim:strap07', participantId: 'a08', position: 0 })).toMatchObject({ ok: true });
    routed.clear();
    await new Promise((r) => setTimeout(r, 1000));
    expect(routed.get('a08 sim:strap07') ?? 0).toBeGreaterThan(1);
    expect([...routed.keys()].filter((k) => k.startsWith('a07 '))).toEqual([]);
    // a08's own strap is now the backup: not forwarded while strap07 is fresh
    expect(routed.get('a08 sim:strap08') ?? 0).toBe(0);

    const ended = (await ui.call('roster.endClass', {})) as { ok: boolean; value: { athletes: { participantId: string; durationS: number; avgHrBpm: number | null; kcal: number | null }[] } };
    expect(ended.ok).toBe(true);
    expect(ended.value.athletes).toHaveLength(N);
    for (const a of ended.value.athletes) {
      expect(a.durationS).toBeGreaterThanOrEqual(2);
      expect(a.avgHrBpm).toBeGreaterThan(60);
      expect(a.kcal).not.toBeNull();
    }
    expect(ui.events.some((e) => e.name === 'roster')).toBe(true);
    ui.close();
  });
});
