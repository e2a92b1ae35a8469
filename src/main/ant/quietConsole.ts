/**
 * Bug B6 (reference/ant-plus.md §9): ant-plus-next prints `console.log(this.deviceId)` for every frame a scanner
 * receives, plus "Unhandled event: …" and "wrong message format …" lines that cannot be switched off. The driver
 * runs each synchronous dispatch of a frame inside {@link runQuietly}, which swaps `console.log` for a filter only
 * for that call: the library's noise is dropped (and counted), anything else is passed through. The global console
 * is untouched at all other times.
 */

/** Lines dropped so far (all drivers). */
export const quietStats = { dropped: 0 };

let original: typeof console.log | null = null;

function filtered(...args: unknown[]): void {
  const first = args[0];
  const isNoise =
    (args.length === 1 && (typeof first === 'number' || first === undefined)) ||
    (typeof first === 'string' && (first.startsWith('Unhandled event:') || first.startsWith('wrong message format')));
  if (isNoise) {
    quietStats.dropped++;
    return;
  }
  original?.(...args);
}

/** Run `fn` with the library's console noise filtered out. */
export function runQuietly<T>(fn: () => T): T {
  if (original) return fn();
  original = console.log;
  console.log = filtered;
  try {
    return fn();
  } finally {
    console.log = original;
    original = null;
  }
}
