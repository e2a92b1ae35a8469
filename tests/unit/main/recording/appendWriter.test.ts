import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AppendWriter } from '../../../../src/main/recording/appendWriter';
import { tempDataDir } from './fakes';

describe('AppendWriter', () => {
  it('keeps lines in memory until a flush, then appends them in order (what a crash can lose is only the buffer)', () => {
    const path = join(tempDataDir('aw'), 'f.jsonl');
    const w = new AppendWriter(path, { flushEveryMs: 60_000 });
    w.append('a\n');
    w.append('b\n');
    expect(readFileSync(path, 'utf8')).toBe('');
    expect(w.sizeBytes).toBe(4);
    expect(w.flush()).toBe(true);
    expect(readFileSync(path, 'utf8')).toBe('a\nb\n');
    w.append('c\n');
    w.close();
    expect(readFileSync(path, 'utf8')).toBe('a\nb\nc\n');
  });

  it('flushes early when the buffer passes its limit', () => {
    const path = join(tempDataDir('aw2'), 'f.jsonl');
    const w = new AppendWriter(path, { flushEveryMs: 60_000, maxBufferBytes: 10 });
    w.append('0123456789\n');
    expect(readFileSync(path, 'utf8')).toBe('0123456789\n');
    w.close();
  });

  it('appends to an existing file and counts its size', () => {
    const path = join(tempDataDir('aw3'), 'f.jsonl');
    new AppendWriter(path).close();
    const first = new AppendWriter(path);
    first.append('x\n');
    first.close();
    const second = new AppendWriter(path);
    expect(second.sizeBytes).toBe(2);
    second.close();
  });

  it.skipIf(!existsSync('/dev/full'))('on a full disk reports once, stops writing and counts every line it could not keep (no retry loop)', () => {
    const errors: string[] = [];
    const w = new AppendWriter('/dev/full', { flushEveryMs: 60_000, onError: (e) => errors.push((e as NodeJS.ErrnoException).code ?? e.message) });
    w.append('precious\n');
    expect(w.flush()).toBe(false);
    w.append('later\n');
    expect(w.flush()).toBe(false);
    expect(errors).toEqual(['ENOSPC']);
    expect(w.droppedLines).toBe(2);
    expect(w.sizeBytes).toBe(0);
    w.close();
  });
});
