/** Tiny benchmark helpers: run a function repeatedly, report rates, and compare to a same-run baseline. */

/** Result of one measured case. */
export interface Measured {
  readonly name: string;
  readonly opsPerSecond: number;
  readonly totalOps: number;
  readonly seconds: number;
}

/** Run `fn` (which performs `opsPerCall` operations) for about `seconds`, after a warm-up; best of 3 rounds. */
export function measure(name: string, opsPerCall: number, fn: () => void, seconds = 1): Measured {
  for (let i = 0; i < 3; i++) fn(); // warm-up
  let best: Measured | null = null;
  for (let round = 0; round < 3; round++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    let elapsed = 0;
    while (elapsed < (seconds / 3) * 1e9) {
      fn();
      calls++;
      elapsed = Number(process.hrtime.bigint() - start);
    }
    const s = elapsed / 1e9;
    const m = { name, opsPerSecond: (calls * opsPerCall) / s, totalOps: calls * opsPerCall, seconds: s };
    if (!best || m.opsPerSecond > best.opsPerSecond) best = m;
  }
  return best!;
}

/** Format a rate. */
export function rate(opsPerSecond: number): string {
  if (opsPerSecond >= 1e6) return `${(opsPerSecond / 1e6).toFixed(2)} M/s`;
  if (opsPerSecond >= 1e3) return `${(opsPerSecond / 1e3).toFixed(1)} k/s`;
  return `${opsPerSecond.toFixed(1)} /s`;
}

/** Print a case next to its baseline with the ratio (case / baseline). */
export function report(title: string, subject: Measured, baseline: Measured): void {
  const ratio = subject.opsPerSecond / baseline.opsPerSecond;
  console.log(`${title}`);
  console.log(`  ${subject.name.padEnd(44)} ${rate(subject.opsPerSecond).padStart(12)}`);
  console.log(`  ${baseline.name.padEnd(44)} ${rate(baseline.opsPerSecond).padStart(12)}  (baseline, same run)`);
  console.log(`  ratio subject/baseline: ${ratio.toFixed(3)}`);
}
