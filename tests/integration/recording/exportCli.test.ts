/** The export CLI (`npm run export -- <session>`) on a real recorded session folder. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../../scripts/export';
import { RecordingService } from '../../../src/main/recording/service';
import { FakeHub, fakeClock, tempDataDir } from '../../unit/main/recording/fakes';

async function recordOne(dataDir: string): Promise<string> {
  const clock = fakeClock();
  const hub = new FakeHub();
  const svc = new RecordingService({ dataDir, hub, now: clock.now });
  const started = await svc.start({ subjectId: 'cli', sessionId: '1' });
  if (!started.ok) throw new Error(started.message);
  for (let i = 0; i < 5; i++) hub.release([{ tMs: clock.advance(1000), deviceId: 'sim:p', metric: 'power', value: 200 + i }]);
  svc.stop();
  return started.value.sessionId!;
}

afterEach(() => vi.restoreAllMocks());

describe('npm run export', () => {
  it('exports a session id from the data dir into --out with the chosen formats', async () => {
    const dataDir = tempDataDir('cli');
    const id = await recordOne(dataDir);
    const out = join(tempDataDir('cli-out'), 'exports');
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    expect(await main([id, '--data-dir', dataDir, '--out', out, '--format', 'csv-wide'])).toBe(0);
    const wide = readFileSync(join(out, `${id}_part-cli_wide-1hz.csv`), 'utf8');
    expect(wide.split('\n')[0]).toBe('t_iso,t_unix_s,t_rel_s,power[sim:p]');
    expect(existsSync(join(out, `${id}_samples-long.csv`))).toBe(false);
    expect(log.mock.calls.flat().join('\n')).toContain('Exported 5 samples');
  });

  it('explains an unknown session and an unknown format instead of failing obscurely', async () => {
    const err = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    expect(await main(['nope', '--data-dir', tempDataDir('cli-none')])).toBe(1);
    expect(err.mock.calls.flat().join('\n')).toMatch(/No session manifest.*\n.*session id from/);
    expect(await main(['x', '--format', 'xlsx'])).toBe(2);
    expect(err.mock.calls.flat().join('\n')).toContain('Unknown format(s): xlsx');
  });
});
