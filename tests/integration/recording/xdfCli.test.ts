/** `npm run export -- <session> --format xdf` writes only the XDF file, readable by our spec-based reader. */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../scripts/export';
import { RecordingService } from '../../../src/main/recording/service';
import { FakeHub, fakeClock, tempDataDir } from '../../unit/main/recording/fakes';
import { readXdf, streamNamed } from './xdfReader';

afterEach(() => vi.restoreAllMocks());

describe('npm run export -- --format xdf', () => {
  it('writes <base>_lsl.xdf and nothing else', async () => {
    const dataDir = tempDataDir('xdf-cli');
    const clock = fakeClock();
    const hub = new FakeHub();
    const svc = new RecordingService({ dataDir, hub, now: clock.now });
    const started = await svc.start({ subjectId: 'cli', sessionId: '1' });
    if (!started.ok) throw new Error(started.message);
    for (let i = 0; i < 5; i++) hub.release([{ tMs: clock.advance(1000), deviceId: 'ant:11:9', metric: 'power', value: 200 + i }]);
    svc.stop();
    const id = started.value.sessionId!;
    const out = join(tempDataDir('xdf-cli-out'), 'exports');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main([id, '--data-dir', dataDir, '--out', out, '--format', 'xdf'])).toBe(0);
    expect(readdirSync(out)).toEqual([`${id}_lsl.xdf`]);
    expect(log.mock.calls.flat().join('\n')).toContain(`${id}_lsl.xdf`);
    const power = streamNamed(readXdf(join(out, `${id}_lsl.xdf`)), 'ant:11:9 activity');
    expect(power.rows.map((r) => r[0])).toEqual([200, 201, 202, 203, 204]);
    expect(existsSync(join(out, `${id}_samples-long.csv`))).toBe(false);
  });
});
