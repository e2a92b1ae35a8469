/** Whether the Electron binary exists on this machine (it is downloaded outside the npm registry). */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Path of the Electron binary, or null with the reason it is missing. */
export function findElectron(): { path: string } | { path: null; reason: string } {
  let dir: string;
  try {
    dir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { path: null, reason: 'the electron package is not installed' };
  }
  const pathFile = join(dir, 'path.txt');
  if (!existsSync(pathFile)) {
    return {
      path: null,
      reason: 'the Electron binary is not installed (its download comes from outside the npm registry); `npm start` downloads it where Electron\'s servers are reachable',
    };
  }
  const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(bin) ? { path: bin } : { path: null, reason: `the Electron binary is missing at ${bin}` };
}
