/** Test doubles of the hub and the device registry as the recording service sees them, and a fake clock. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Sample } from '../../../../src/shared/sample';
import type { DeviceSource, LinkEventLike, SampleSource } from '../../../../src/main/recording/service';

/** A hub that releases whatever the test pushes, immediately. */
export class FakeHub implements SampleSource {
  private readonly subs = new Set<(batch: readonly Sample[]) => void>();
  subscribe(fn: (batch: readonly Sample[]) => void): () => void {
    this.subs.add(fn);
    return () => this.subs.delete(fn);
  }
  release(batch: readonly Sample[]): void {
    for (const fn of this.subs) fn(batch);
  }
}

/** A device registry with settable statuses. */
export class FakeDevices implements DeviceSource {
  private readonly statuses = new Map<string, string>();
  private readonly listeners = new Set<(e: LinkEventLike) => void>();
  constructor(private readonly now: () => number) {}
  onLinkEvent(fn: (e: LinkEventLike) => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }
  list(): { id: string; status: string }[] {
    return [...this.statuses].map(([id, status]) => ({ id, status }));
  }
  set(id: string, status: string, reason = 'test'): void {
    const previous = this.statuses.get(id) ?? null;
    this.statuses.set(id, status);
    for (const fn of this.listeners) fn({ deviceId: id, status, previous, reason, tMs: this.now() });
  }
}

/** A settable clock starting at a fixed epoch time. */
export function fakeClock(startMs = Date.UTC(2026, 10, 25, 9, 30, 0, 250)): { now: () => number; advance(ms: number): number } {
  let t = startMs;
  return {
    now: () => t,
    advance(ms: number) {
      t += ms;
      return t;
    },
  };
}

/** A fresh temporary data directory. */
export function tempDataDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `sr-rec-${label}-`));
}
