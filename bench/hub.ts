/**
 * Hub throughput: samples/s pushed through the sample hub (stamping, ordering, per-device state,
 * staleness) to one subscriber, against a baseline of the same samples pushed into a plain array
 * and handed to a callback in the same run.
 */
import { fileURLToPath } from 'node:url';
import { SampleHub } from '../src/main/hub';
import type { Sample } from '../src/shared/sample';
import { measure, report } from './harness';

const BATCH = 2000;
const DEVICES = 50;

function makeSamples(t0: number): Sample[] {
  const out: Sample[] = [];
  for (let i = 0; i < BATCH; i++) {
    out.push({ tMs: t0 + i * 0.5, deviceId: `ant:120:${i % DEVICES}`, metric: 'heartRate', value: 60 + (i % 100) });
  }
  return out;
}

/** Run the hub benchmark and print its numbers. */
export function main(): void {
  const samples = makeSamples(1_000_000);
  let received = 0;
  let clock = 2_000_000;
  const hub = new SampleHub({ reorderWindowMs: 50, now: () => clock });
  hub.subscribe((b) => (received += b.length));
  // Sources create a new sample per reading (the hub takes ownership), so both cases copy the template.
  const subject = measure('hub: push + ordered release to subscriber', BATCH, () => {
    for (const s of samples) hub.push({ ...s });
    clock += 1000;
    hub.tick(clock);
  });

  let baselineReceived = 0;
  const sink = (b: readonly Sample[]): void => {
    baselineReceived += b.length;
  };
  const baseline = measure('plain array + callback', BATCH, () => {
    const arr: Sample[] = [];
    for (const s of samples) arr.push({ ...s });
    sink(arr);
  });
  report('Hub throughput (samples/s, 50 devices)', subject, baseline);
  if (received === 0 || baselineReceived === 0) throw new Error('benchmark delivered nothing');
}

if (process.argv[1] === fileURLToPath(import.meta.url)) main();
