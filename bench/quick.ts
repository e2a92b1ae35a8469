/** `npm run bench -- --quick`: benches that honour it run a short version (the whole quick run stays under a minute). */

/** Whether the bench run was asked for its short version. */
export function isQuick(): boolean {
  return process.argv.includes('--quick') || process.env.BENCH_QUICK === '1';
}
