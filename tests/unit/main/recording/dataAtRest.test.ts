/**
 * Issue 11 items 7 and 8. Symptoms guarded: the data directory was 0755 and recordings, roster,
 * outbox and broker log were 0644 (health data readable by every user of the machine); `base` in
 * a session manifest was trusted, so recovery truncated files outside the data directory and
 * export wrote outside its output folder.
 */
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createHost, type Host } from '../../../../src/main/host';
import { exportSession } from '../../../../src/main/recording/export/exportSession';
import { findUnfinished, readManifestIn, recoverSession } from '../../../../src/main/recording/recovery';
import { SessionRecorder } from '../../../../src/main/recording/sessionRecorder';
import { tempDataDir } from './fakes';

const hosts: Host[] = [];
afterEach(async () => {
  while (hosts.length) await hosts.pop()!.stop();
});

/** Every folder and file under `dir` with its permission bits. */
function modes(dir: string): { path: string; mode: number; isDir: boolean }[] {
  const out: { path: string; mode: number; isDir: boolean }[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    out.push({ path: p, mode: statSync(p).mode & 0o777, isDir: e.isDirectory() });
    if (e.isDirectory()) out.push(...modes(p));
  }
  return out;
}

const call = (h: Host, name: string, args: unknown = {}) => h.call({ kind: 'call', id: 1, name, args });

describe.skipIf(process.platform === 'win32')('data at rest', () => {
  it('creates the data folder 0700 and every file the host writes 0600', async () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'sr-modes-')), 'data');
    const { loadScenario } = await import('../../../../src/main/sim/scenarioFiles');
    const scenario = loadScenario('steady3');
    const h = createHost({ mode: 'headless', dataDir, isAntUsbEnabled: false, scenario: scenario.ok ? scenario.value : undefined });
    hosts.push(h);
    await h.start();
    expect(await call(h, 'roster.upsertParticipant', { participant: { name: 'Ana' } })).toMatchObject({ ok: true });
    expect(await call(h, 'broker.configure', { settings: { defaultUserId: 'default-user' } })).toMatchObject({ ok: true });
    const started = await call(h, 'recording.start', { subjectId: 'm', sessionId: 'modes', isStartAnyway: true });
    expect(started).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(h.broker.state().uplinks[0]?.outbox.delivered ?? 0).toBeGreaterThan(0), { timeout: 15_000 });
    expect(await call(h, 'recording.stop')).toMatchObject({ ok: true });
    const sessionId = (started as { value: { sessionId: string } }).value.sessionId;
    expect(await call(h, 'recording.export', { sessionId, formats: ['csv-long', 'manifest'] })).toMatchObject({ ok: true });
    await h.stop();
    hosts.pop();

    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
    const all = modes(dataDir);
    expect(all.filter((e) => !e.isDir).length).toBeGreaterThan(8);
    const wrong = all.filter((e) => e.mode !== (e.isDir ? 0o700 : 0o600)).map((e) => `${e.path} ${e.mode.toString(8)}`);
    expect(wrong).toEqual([]);
  });

  it('tightens an existing data folder that was left open to others', () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'sr-open-'));
    chmodSync(dataDir, 0o755);
    createHost({ mode: 'headless', dataDir });
    expect(statSync(dataDir).mode & 0o777).toBe(0o700);
  });
});

describe('names read from a manifest', () => {
  /** A session whose manifest says `recording` and names its files with `base`. */
  function tamperedSession(base: string): { sessionsDir: string; dir: string } {
    const sessionsDir = join(tempDataDir('trav'), 'sessions');
    mkdirSync(sessionsDir, { recursive: true });
    const rec = new SessionRecorder(sessionsDir, { subjectId: 's', sessionId: 't' }, Date.UTC(2026, 0, 1));
    rec.flush();
    const manifestFile = readdirSync(rec.dir).find((f) => f.endsWith('_manifest.json'))!;
    const manifest = JSON.parse(readFileSync(join(rec.dir, manifestFile), 'utf8')) as Record<string, unknown>;
    writeFileSync(join(rec.dir, manifestFile), JSON.stringify({ ...manifest, base }));
    return { sessionsDir, dir: rec.dir };
  }

  it('recovery never truncates a file outside the session folder', async () => {
    const { sessionsDir, dir } = tamperedSession('../../victim');
    const victim = join(dir, '..', '..', 'victim_recording.jsonl');
    writeFileSync(victim, 'precious data without a CRC\n');
    expect(findUnfinished(sessionsDir)).toEqual([]);
    const r = await recoverSession(dir);
    expect(r).toMatchObject({ ok: false, code: 'REC_BAD_RECORD' });
    expect(readFileSync(victim, 'utf8')).toBe('precious data without a CRC\n');
    expect(readManifestIn(dir)).toMatchObject({ ok: false, message: expect.stringMatching(/not a session name/) });
  });

  it('export never writes outside its output folder', async () => {
    const { dir } = tamperedSession('../escaped');
    const out = join(dir, 'out');
    const r = await exportSession(dir, { outDir: out, formats: ['csv-long', 'manifest'] });
    expect(r.ok).toBe(false);
    expect(readdirSync(dir).some((f) => f.includes('escaped'))).toBe(false);
    expect(readdirSync(join(dir, '..')).some((f) => f.includes('escaped'))).toBe(false);
  });
});
