/**
 * What a packaged app must and must not contain (docs/packaging.md "What the package holds"),
 * checked over the file list of app.asar. Pure: the caller lists the archive and reads the few
 * files needed; every rule returns a named result with what it found.
 */
import { DEV_ONLY_PACKAGES, EXCLUDED_FROM_PACKAGE, USB_PREBUILD_DIRS } from './builderConfig';

/** One rule's outcome. */
export interface ContentCheck {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
}

/** What the rules look at. */
export interface PackageListing {
  /** Every file in app.asar, posix paths without a leading slash. */
  readonly files: readonly string[];
  /** Files stored next to the archive in app.asar.unpacked (same path form). */
  readonly unpacked: readonly string[];
  /** `main` of the packaged package.json. */
  readonly main: string | undefined;
  /** The renderer's index.html as packaged. */
  readonly indexHtml: string | undefined;
  /** Bare package imports of the main-process bundle (`import … from "ws"`). */
  readonly mainImports: readonly string[];
}

/** The package names a bundle imports (static `import … from "x"`), Node built-ins and 'electron' left out. */
export function bareImports(source: string): string[] {
  const names = new Set<string>();
  for (const m of source.matchAll(/(?:^|[;\n])\s*(?:import|export)\s[^'"]*?from\s*["']([^"'./][^"']*)["']|import\(\s*["']([^"'./][^"']*)["']\s*\)/g)) {
    const spec = m[1] ?? m[2] ?? '';
    if (spec.startsWith('node:') || spec === 'electron') continue;
    const parts = spec.split('/');
    names.add(spec.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!);
  }
  return [...names].sort();
}

/** Local files an HTML page loads (`src`/`href` relative URLs). */
export function htmlAssets(html: string): string[] {
  const found: string[] = [];
  for (const m of html.matchAll(/\s(?:src|href)="([^"]+)"/g)) {
    const url = m[1]!;
    if (/^[a-z]+:|^\/\/|^#/i.test(url)) continue;
    found.push(url.replace(/^\.\//, '').split(/[?#]/)[0]!);
  }
  return found;
}

function check(name: string, ok: boolean, detail: string): ContentCheck {
  return { name, ok, detail };
}

/** Run every rule over the listing. */
export function checkPackageContents(listing: PackageListing): ContentCheck[] {
  const files = new Set(listing.files);
  const unpacked = new Set(listing.unpacked);
  const results: ContentCheck[] = [];

  const main = listing.main ?? '';
  results.push(check('entry point resolves', main !== '' && files.has(main), `package.json main = ${main || '(none)'}`));
  results.push(check('preload present', files.has('out/preload/index.cjs'), 'out/preload/index.cjs'));
  const assets = listing.indexHtml ? htmlAssets(listing.indexHtml).map((a) => `out/renderer/${a}`) : [];
  const missingAssets = assets.filter((a) => !files.has(a));
  results.push(
    check(
      'renderer present',
      files.has('out/renderer/index.html') && assets.length > 0 && missingAssets.length === 0,
      missingAssets.length ? `missing: ${missingAssets.join(', ')}` : `index.html and ${assets.length} assets`,
    ),
  );

  const unresolved = listing.mainImports.filter((p) => !files.has(`node_modules/${p}/package.json`));
  results.push(
    check('main-process packages present', unresolved.length === 0, unresolved.length ? `missing: ${unresolved.join(', ')}` : listing.mainImports.join(', ')),
  );

  for (const dir of USB_PREBUILD_DIRS) {
    const prefix = `node_modules/usb/prebuilds/${dir}/`;
    const inArchive = listing.files.filter((f) => f.startsWith(prefix) && f.endsWith('.node'));
    const onDisk = inArchive.filter((f) => unpacked.has(f));
    results.push(
      check(
        `usb prebuild ${dir}`,
        inArchive.length > 0 && onDisk.length === inArchive.length,
        inArchive.length ? `${inArchive.map((f) => f.slice(prefix.length)).join(', ')} (unpacked: ${onDisk.length}/${inArchive.length})` : 'none',
      ),
    );
  }

  const excluded = listing.files.filter((f) => EXCLUDED_FROM_PACKAGE.some((p) => f.startsWith(p)) || f.endsWith('.map') || f.endsWith('.ts') && !f.endsWith('.d.ts'));
  results.push(check('no sources, tests, tooling or source maps', excluded.length === 0, excluded.length ? excluded.slice(0, 5).join(', ') : 'none found'));
  const devPackages = DEV_ONLY_PACKAGES.filter((p) => files.has(`node_modules/${p}/package.json`));
  results.push(check('no dev-only packages', devPackages.length === 0, devPackages.length ? devPackages.join(', ') : `none of ${DEV_ONLY_PACKAGES.length} checked`));
  const rebuilt = listing.files.filter((f) => f.startsWith('node_modules/usb/build/'));
  results.push(check('usb not rebuilt (N-API prebuilds only)', rebuilt.length === 0, rebuilt.length ? rebuilt.join(', ') : 'no node_modules/usb/build'));
  return results;
}
