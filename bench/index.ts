/**
 * `npm run bench`: every benchmark, each printing its numbers next to a baseline measured in the
 * same run. Nothing here passes or fails on time. `npm run bench -- --quick`: only the forwarding
 * benchmarks, each in a short version (under a minute in all).
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { isQuick } from './quick';

const here = dirname(fileURLToPath(import.meta.url));
/** Benchmarks in the order they run; a missing file is reported, not fatal. */
const BENCHES = ['hub.ts', 'gatt.ts', 'ant.ts', 'outbox.ts', 'uplink.ts', 'broker.ts', 'recording.ts', 'xdf.ts', 'sessionView.ts', 'classDisplay.ts', 'zodJitless.ts', 'gym50.ts'];
/** What `--quick` runs (short versions). */
const QUICK_BENCHES = new Set(['uplink.ts', 'gym50.ts']);

async function run(): Promise<void> {
  const quick = isQuick();
  console.log(`Sensor Relay benchmarks — node ${process.version}, ${new Date().toISOString()}${quick ? ' (--quick: forwarding benchmarks only, short versions)' : ''}\n`);
  for (const file of BENCHES) {
    if (quick && !QUICK_BENCHES.has(file)) continue;
    const path = join(here, file);
    if (!existsSync(path)) continue;
    const mod = (await import(pathToFileURL(path).href)) as { main?: () => unknown };
    if (typeof mod.main !== 'function') {
      console.log(`${file}: no main() export, skipped`);
      continue;
    }
    console.log(`--- ${file}`);
    await mod.main();
    console.log('');
  }
}

void run();
