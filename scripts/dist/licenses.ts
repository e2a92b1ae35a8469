/**
 * Third-party licence notices for the code bundled into `out/` (docs/packaging.md "Licences").
 * Production node_modules keep their own LICENSE files inside the package; the renderer and the
 * preload are bundles, so the packages inside them are found from the build's source maps and
 * their licence texts are gathered into one file shipped as `resources/licenses/`.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Name of the generated notices file. */
export const NOTICES_FILE = 'THIRD_PARTY_NOTICES.txt';

/** Package names found in source-map `sources` paths (`…/node_modules/<name>/…`, scoped names kept). */
export function packagesFromSources(sources: readonly string[]): string[] {
  const names = new Set<string>();
  for (const s of sources) {
    const parts = s.split(/[\\/]/);
    const i = parts.lastIndexOf('node_modules');
    if (i < 0 || i + 1 >= parts.length) continue;
    const first = parts[i + 1]!;
    const name = first.startsWith('@') && i + 2 < parts.length ? `${first}/${parts[i + 2]}` : first;
    if (/^(@[a-z0-9._-]+\/)?[a-z0-9._-]+$/i.test(name) && !name.startsWith('.')) names.add(name);
  }
  return [...names].sort();
}

function mapFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir)) {
    const p = join(dir, entry);
    if (statSync(p).isDirectory()) found.push(...mapFiles(p));
    else if (entry.endsWith('.map')) found.push(p);
  }
  return found;
}

/** The packages bundled into the built app in `builtDir` (read from its `.map` files). */
export function bundledPackages(builtDir: string): string[] {
  const sources: string[] = [];
  for (const file of mapFiles(builtDir)) {
    const map = JSON.parse(readFileSync(file, 'utf8')) as { sources?: unknown };
    if (Array.isArray(map.sources)) sources.push(...map.sources.filter((s): s is string => typeof s === 'string'));
  }
  return packagesFromSources(sources);
}

function licenceText(projectDir: string, name: string): string | null {
  const dir = join(projectDir, 'node_modules', name);
  if (!existsSync(dir)) return null;
  const file = readdirSync(dir).find((f) => /^(licen[cs]e|copying)(\.|$)/i.test(f));
  return file ? readFileSync(join(dir, file), 'utf8') : null;
}

/** Write the notices of the bundled packages into `outDir`; returns the packages without a licence file. */
export function writeNotices(projectDir: string, builtDir: string, outDir: string): { packages: string[]; missing: string[] } {
  const packages = bundledPackages(builtDir);
  const missing: string[] = [];
  const sections: string[] = [
    'Sensor Relay bundles the following open-source packages into its user interface and preload.',
    'Packages under resources/app.asar/node_modules carry their own licence files.',
  ];
  for (const name of packages) {
    const pkg = JSON.parse(readFileSync(join(projectDir, 'node_modules', name, 'package.json'), 'utf8')) as { version?: string; license?: string };
    const text = licenceText(projectDir, name);
    if (!text) missing.push(name);
    sections.push(`${'='.repeat(72)}\n${name} ${pkg.version ?? ''} (${pkg.license ?? 'see package'})\n${'='.repeat(72)}\n${text ?? `No licence file in the package; its package.json says: ${pkg.license ?? 'nothing'}.`}`);
  }
  mkdirSync(outDir, { recursive: true });
  writeFileSync(join(outDir, NOTICES_FILE), `${sections.join('\n\n')}\n`);
  return { packages, missing };
}
