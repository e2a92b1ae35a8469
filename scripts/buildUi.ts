/**
 * `npm run web` step 1: build the UI only when its sources changed since the last build. The build
 * writes a fingerprint (SHA-256 over the path and bytes of every renderer and shared source file,
 * the renderer's Vite config and the lockfile) next to its output; a start whose fingerprint matches
 * skips the 3-4 s Vite build. Content, not mtimes, so a checkout that touches files without changing
 * them does not rebuild, and an edit within the same second still does.
 *
 *   tsx scripts/buildUi.ts [--force]
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Folders and files (relative to the repo) whose content decides the UI build. */
export const UI_SOURCES = ['src/renderer', 'src/shared', 'vite.renderer.config.ts', 'package-lock.json'] as const;
/** Where the build goes (vite.renderer.config.ts) and the fingerprint file inside it. */
export const UI_OUT_DIR = 'out/renderer';
/** Name of the fingerprint file in {@link UI_OUT_DIR}. */
export const STAMP_FILE = '.source-fingerprint';

function listFiles(root: string, entry: string, out: string[]): void {
  const full = join(root, entry);
  if (!existsSync(full)) return;
  const dirents = readdirSync(full, { withFileTypes: true });
  for (const d of dirents) {
    const rel = join(entry, d.name);
    if (d.isDirectory()) listFiles(root, rel, out);
    else if (d.isFile()) out.push(rel);
  }
}

/** Fingerprint of the UI sources under `root`. */
export function uiSourceFingerprint(root: string): string {
  const files: string[] = [];
  for (const s of UI_SOURCES) {
    const full = join(root, s);
    if (!existsSync(full)) continue;
    if (statSync(full).isDirectory()) listFiles(root, s, files);
    else files.push(s);
  }
  files.sort();
  const hash = createHash('sha256');
  for (const f of files) {
    hash.update(relative(root, join(root, f)).replaceAll('\\', '/'));
    hash.update('\0');
    hash.update(readFileSync(join(root, f)));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/** Whether the built UI under `root` matches its sources (index.html present and the fingerprint equal). */
export function isUiBuildCurrent(root: string, fingerprint = uiSourceFingerprint(root)): boolean {
  const out = join(root, UI_OUT_DIR);
  if (!existsSync(join(out, 'index.html')) || !existsSync(join(out, STAMP_FILE))) return false;
  return readFileSync(join(out, STAMP_FILE), 'utf8').trim() === fingerprint;
}

/** Build the UI unless it is current; `runBuild` returns whether the build succeeded. */
export function ensureUiBuilt(root: string, runBuild: () => boolean, options: { force?: boolean } = {}): 'skipped' | 'built' | 'failed' {
  const fingerprint = uiSourceFingerprint(root);
  if (!options.force && isUiBuildCurrent(root, fingerprint)) return 'skipped';
  if (!runBuild()) return 'failed';
  writeFileSync(join(root, UI_OUT_DIR, STAMP_FILE), `${fingerprint}\n`);
  return 'built';
}

function viteBuild(root: string): boolean {
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const r = spawnSync(process.execPath, [vite, 'build', '-c', 'vite.renderer.config.ts', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' });
  return r.status === 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const root = resolve(import.meta.dirname, '..');
  const result = ensureUiBuilt(root, () => viteBuild(root), { force: process.argv.includes('--force') });
  if (result === 'skipped') console.log('UI unchanged since the last build: not rebuilding it (`npx tsx scripts/buildUi.ts --force` rebuilds).');
  if (result === 'failed') {
    console.error('Sensor Relay: the UI build failed (see above).');
    process.exit(1);
  }
}
