/**
 * Builds the libxdf reader of the XDF tests (fixtures/xdfDump.cpp) against Debian's libxdf, installing
 * `libxdf-dev` and `g++` with apt when they are missing (as the suite does for Chromium). Returns the
 * program's path, or the reason it cannot exist here (for a skip that says why).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SOURCE = join(import.meta.dirname, 'fixtures', 'xdfDump.cpp');
const HEADER = '/usr/include/xdf.h';

function hasCompiler(): boolean {
  return spawnSync('g++', ['--version'], { stdio: 'ignore' }).status === 0;
}

function aptInstall(packages: readonly string[]): string | null {
  const isRoot = process.getuid?.() === 0;
  if (!isRoot && spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0) {
    return `${packages.join(' and ')} missing, and apt-get needs root (no password-less sudo)`;
  }
  const apt = (args: string[]): number | null =>
    (isRoot ? spawnSync('apt-get', args, { stdio: 'inherit' }) : spawnSync('sudo', ['-n', 'apt-get', ...args], { stdio: 'inherit' })).status;
  if (apt(['install', '-y', '-qq', ...packages]) === 0) return null;
  apt(['update', '-qq']);
  return apt(['install', '-y', '-qq', ...packages]) === 0 ? null : `apt-get could not install ${packages.join(' ')}`;
}

/** Compile the reader; `{ path }` or `{ reason }`. */
export function buildLibxdfReader(): { path: string } | { reason: string } {
  const missing = [...(existsSync(HEADER) ? [] : ['libxdf-dev']), ...(hasCompiler() ? [] : ['g++'])];
  if (missing.length > 0) {
    if (process.platform !== 'linux' || !existsSync('/usr/bin/apt-get')) {
      return { reason: `${missing.join(' and ')} missing and this is not a Debian-like system with apt-get` };
    }
    const failed = aptInstall(missing);
    if (failed) return { reason: failed };
  }
  const out = join(mkdtempSync(join(tmpdir(), 'xdfdump-')), 'xdfDump');
  const cc = spawnSync('g++', ['-std=c++17', '-O1', '-o', out, SOURCE, '-lxdf'], { encoding: 'utf8' });
  if (cc.status !== 0) return { reason: `compiling against libxdf failed: ${cc.stderr.slice(0, 500)}` };
  return { path: out };
}
