/**
 * Issue 11 item 12: the durability policy. Symptom guarded: the recorder never fsynced, so "at most
 * the last second is lost" held for a killed process but not for a power loss. Policy
 * (docs/security.md "Durability"): write every 500 ms, fdatasync at least every second and at
 * stop; the manifest is written to a temp file, fsynced, renamed, and the folder fsynced.
 */
import * as fs from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';

const calls = vi.hoisted(() => ({ fdatasync: 0, fsync: 0 }));
vi.mock('node:fs', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:fs')>();
  return {
    ...real,
    fdatasyncSync: (fd: number) => {
      calls.fdatasync++;
      real.fdatasyncSync(fd);
    },
    fsyncSync: (fd: number) => {
      calls.fsync++;
      real.fsyncSync(fd);
    },
  };
});

const { AppendWriter } = await import('../../../../src/main/recording/appendWriter');
const { SessionRecorder } = await import('../../../../src/main/recording/sessionRecorder');
const { tempDataDir } = await import('./fakes');

afterEach(() => {
  vi.useRealTimers();
  calls.fdatasync = 0;
  calls.fsync = 0;
});

describe('durability policy', () => {
  it('fdatasyncs the recording at least every second while data arrives, and at close', () => {
    vi.useFakeTimers();
    const w = new AppendWriter(join(tempDataDir('dur'), 'r.jsonl'));
    for (let s = 0; s < 5; s++) {
      w.append(`line ${s}\n`);
      vi.advanceTimersByTime(1000);
    }
    expect(calls.fdatasync).toBeGreaterThanOrEqual(5);
    const before = calls.fdatasync;
    w.append('last\n');
    w.close();
    expect(calls.fdatasync).toBe(before + 1);
  });

  it('does not sync an idle file', () => {
    vi.useFakeTimers();
    const w = new AppendWriter(join(tempDataDir('idle'), 'r.jsonl'));
    vi.advanceTimersByTime(10_000);
    expect(calls.fdatasync).toBe(0);
    w.close();
  });

  it('writes the manifest through a synced temp file and a rename, and stop syncs the files', () => {
    const dir = tempDataDir('mf');
    const rec = new SessionRecorder(dir, { subjectId: 's', sessionId: 'd' }, Date.UTC(2026, 0, 1));
    const afterStart = calls.fsync;
    expect(afterStart).toBeGreaterThanOrEqual(2); // manifest file + its folder
    rec.sample({ tMs: Date.UTC(2026, 0, 1) + 10, deviceId: 'ble:a', metric: 'heartRate', value: 70 });
    const synced = calls.fdatasync;
    rec.stop(Date.UTC(2026, 0, 1) + 20);
    expect(calls.fdatasync).toBeGreaterThan(synced);
    expect(calls.fsync).toBeGreaterThan(afterStart);
    expect(fs.readdirSync(rec.dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});
