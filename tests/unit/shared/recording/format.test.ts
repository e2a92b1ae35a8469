import { describe, expect, it } from 'vitest';
import { formatBytes, formatDuration } from '../../../../src/shared/recording/format';

describe('session list formats', () => {
  it.each([
    [0, '0:00'],
    [59_999, '0:59'],
    [61_000, '1:01'],
    [3_600_000, '1:00:00'],
    [3_725_000, '1:02:05'],
    [null, '—'],
    [-5, '—'],
  ])('duration %s ms reads %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it.each([
    [512, '512 B'],
    [1500, '1.5 kB'],
    [57_800_000, '57.8 MB'],
    [2.5e9, '2.5 GB'],
  ])('size %s bytes reads %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
