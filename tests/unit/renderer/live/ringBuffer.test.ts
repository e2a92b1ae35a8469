/** The live ring buffer: order, overwrite of the oldest when full, search by time, versioning. */
import { describe, expect, it } from 'vitest';
import { RingBuffer } from '../../../../src/renderer/live/ringBuffer';

function contents(r: RingBuffer): [number, number][] {
  return Array.from({ length: r.length }, (_, i) => [r.timeAt(i), r.valueAt(i)]);
}

describe('RingBuffer', () => {
  it('is empty at first: no latest value, search returns 0', () => {
    const r = new RingBuffer(4);
    expect(r.length).toBe(0);
    expect(r.last()).toBeNull();
    expect(r.firstIndexFrom(0)).toBe(0);
  });

  it('keeps points oldest first and reports the newest', () => {
    const r = new RingBuffer(4);
    r.push(1000, 60);
    r.push(1250, 61);
    expect(contents(r)).toEqual([
      [1000, 60],
      [1250, 61],
    ]);
    expect(r.last()).toEqual({ tMs: 1250, value: 61 });
  });

  it('overwrites the oldest point when full, keeping the last `capacity` in order', () => {
    const r = new RingBuffer(3);
    for (let i = 0; i < 7; i++) r.push(i * 100, i);
    expect(r.length).toBe(3);
    expect(contents(r)).toEqual([
      [400, 4],
      [500, 5],
      [600, 6],
    ]);
    expect(r.last()).toEqual({ tMs: 600, value: 6 });
  });

  it('finds the first point at or after a time, across the wrap-around', () => {
    const r = new RingBuffer(5);
    for (let i = 0; i < 8; i++) r.push(i * 100, i); // holds 300..700
    expect(r.firstIndexFrom(0)).toBe(0);
    expect(r.firstIndexFrom(300)).toBe(0);
    expect(r.firstIndexFrom(301)).toBe(1);
    expect(r.firstIndexFrom(600)).toBe(3);
    expect(r.firstIndexFrom(701)).toBe(5);
  });

  it('bumps its version on every push so charts know when to redraw', () => {
    const r = new RingBuffer(2);
    const v0 = r.version;
    r.push(1, 1);
    r.push(2, 2);
    r.push(3, 3);
    expect(r.version - v0).toBe(3);
  });
});
