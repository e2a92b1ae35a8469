/**
 * The renderer validates every `samples` event with zod, and runs zod without `new Function`
 * (jitless) because the CSP forbids eval (src/renderer/zodCsp.ts, docs/packaging.md). This
 * measures what that costs: samples/s validated in a gym-sized batch (50 athletes, heart rate with
 * RR timing, power) jitless, against zod's compiled fast path in the same run.
 */
import { fileURLToPath } from 'node:url';
import { config } from 'zod';
import { EVENTS } from '../src/shared/contract';
import type { Sample } from '../src/shared/sample';
import { measure, report } from './harness';

const ATHLETES = 50;
/** About one UI frame's worth in a full class (50 straps + 50 power meters at 4 Hz, 60 fps → a few per frame; 200 covers bursts). */
const BATCH = 200;

function batch(): { samples: Sample[] } {
  const samples: Sample[] = [];
  for (let i = 0; i < BATCH; i++) {
    const athlete = i % ATHLETES;
    samples.push(
      i % 2 === 0
        ? { tMs: 1_700_000_000_000 + i * 5.25, deviceId: `ant:120:${athlete}`, metric: 'heartRate', value: 120 + (i % 40), seq: i }
        : { tMs: 1_700_000_000_000 + i * 5.25, deviceId: `ant:11:${athlete}`, metric: 'power', value: 180 + (i % 90), seq: i },
    );
  }
  return { samples };
}

/** Run the benchmark and print its numbers. */
export function main(): void {
  const payload = batch();
  const schema = EVENTS.samples;
  let ok = 0;
  // alternate the two modes twice and keep each one's best, so warm-up order favours neither
  const run = (jitless: boolean, name: string) => {
    config({ jitless });
    return measure(name, BATCH, () => {
      if (schema.safeParse(payload).success) ok++;
    });
  };
  const best = (a: ReturnType<typeof measure>, b: ReturnType<typeof measure>) => (a.opsPerSecond >= b.opsPerSecond ? a : b);
  const compiledName = 'zod compiled (new Function) samples event';
  const jitlessName = 'zod jitless (renderer under CSP) samples event';
  const c1 = run(false, compiledName);
  const j1 = run(true, jitlessName);
  const c2 = run(false, compiledName);
  const j2 = run(true, jitlessName);
  const compiled = best(c1, c2);
  const jitless = best(j1, j2);
  report(`renderer event validation, ${BATCH}-sample batches of ${ATHLETES} athletes (samples/s)`, jitless, compiled);
  if (ok === 0) console.log('  (no batch validated: the benchmark is broken)');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
