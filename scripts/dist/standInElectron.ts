/**
 * A stand-in for Electron's unpacked Linux distribution, so electron-builder's `dir` target runs
 * without downloading Electron (docs/packaging.md "Checked here"). The stand-in "binary" is not
 * runnable: it carries only Electron's fuse wire (the sentinel, version 1, length, one byte per
 * fuse, in Electron's stock state), which is what electron-builder edits when it flips fuses, so
 * the check can read the flipped fuses back.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The marker @electron/fuses looks for in the Electron binary. */
export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';

/** Fuse order of wire version 1 (the index of each fuse on the wire). */
export const FUSE_ORDER = [
  'runAsNode',
  'enableCookieEncryption',
  'enableNodeOptionsEnvironmentVariable',
  'enableNodeCliInspectArguments',
  'enableEmbeddedAsarIntegrityValidation',
  'onlyLoadAppFromAsar',
  'loadBrowserProcessSpecificV8Snapshot',
  'grantFileProtocolExtraPrivileges',
] as const;

/** Electron's stock fuse wire: RunAsNode, NodeOptions, CLI inspect and file:// privileges on. */
const STOCK_WIRE = '10110001';

/** Create the stand-in in `dir` (an `electron` file with the fuse wire, the licence files). */
export function writeStandInElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from('stand-in for the Electron binary (sensor relay dist:check); not runnable\n'),
    Buffer.from(FUSE_SENTINEL, 'ascii'),
    Buffer.from([1, STOCK_WIRE.length]),
    Buffer.from(STOCK_WIRE, 'ascii'),
    Buffer.from('\n'),
  ]);
  writeFileSync(join(dir, 'electron'), wire, { mode: 0o755 });
  writeFileSync(join(dir, 'chrome-sandbox'), 'stand-in\n', { mode: 0o755 });
  writeFileSync(join(dir, 'LICENSE'), 'Stand-in for Electron\'s LICENSE (MIT), present in the real distribution.\n');
  writeFileSync(join(dir, 'LICENSES.chromium.html'), '<p>Stand-in for Chromium\'s licences, present in the real distribution.</p>\n');
  writeFileSync(join(dir, 'version'), '0.0.0-stand-in');
}

/** Read the fuse wire of a packaged binary: fuse name → on/off (or `inherit` for 'r'). */
export function readFuses(binaryPath: string): Record<(typeof FUSE_ORDER)[number], boolean | 'inherit'> | null {
  const bytes = readFileSync(binaryPath);
  const at = bytes.indexOf(FUSE_SENTINEL, 0, 'ascii');
  if (at < 0) return null;
  const start = at + FUSE_SENTINEL.length;
  const length = bytes[start + 1] ?? 0;
  const result = {} as Record<(typeof FUSE_ORDER)[number], boolean | 'inherit'>;
  FUSE_ORDER.forEach((name, i) => {
    const b = i < length ? bytes[start + 2 + i] : undefined;
    result[name] = b === 0x31 ? true : b === 0x30 ? false : 'inherit';
  });
  return result;
}
