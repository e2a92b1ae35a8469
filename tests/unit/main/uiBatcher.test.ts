/** Samples reach the UI in batches, at most one per frame, not one message per sample. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { UiBatcher } from '../../../src/main/uiBatcher';
import type { Sample } from '../../../src/shared/sample';

afterEach(() => vi.useRealTimers());

describe('UiBatcher', () => {
  it('coalesces many hub batches into one UI message per frame interval', () => {
    vi.useFakeTimers();
    let clock = 0;
    const sent: Sample[][] = [];
    const batcher = new UiBatcher((b) => sent.push(b), 16, () => clock);
    for (let i = 0; i < 200; i++) {
      batcher.add([{ tMs: 1000 + i, deviceId: 'sim:a', metric: 'power', value: i }]);
      clock += 1; // 200 samples over 200 ms
      vi.advanceTimersByTime(1);
    }
    vi.advanceTimersByTime(50);
    const total = sent.reduce((n, b) => n + b.length, 0);
    expect(total).toBe(200); // nothing lost
    expect(sent.length).toBeLessThanOrEqual(Math.ceil(200 / 16) + 1); // ≤ one message per 16 ms frame
    expect(sent.length).toBeGreaterThan(1);
  });

  it('sends nothing when there is nothing new', () => {
    vi.useFakeTimers();
    const sent: Sample[][] = [];
    const batcher = new UiBatcher((b) => sent.push(b), 16);
    batcher.flush();
    vi.advanceTimersByTime(100);
    expect(sent).toHaveLength(0);
  });
});
