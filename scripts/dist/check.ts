/**
 * `npm run dist:check`: build the app, package it with electron-builder's unpacked `dir` target for
 * linux-x64 against a stand-in Electron (nothing downloaded), then open app.asar and prove what the
 * package holds (packageContents.ts), that the fuses were flipped (builderConfig.ts), and that the
 * udev rule, licences and deb scripts are in place. Says which targets it did not build and why.
 * Also run by `npm test` through tests/unit/scripts/distCheck.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ELECTRON_FUSES, EXECUTABLE_NAME, UDEV_RULE_RESOURCE, builderConfig, electronViteCli } from './builderConfig';
import { writeNotices, NOTICES_FILE } from './licenses';
import { bareImports, checkPackageContents, type ContentCheck } from './packageContents';
import { readFuses, writeStandInElectron } from './standInElectron';
import { SYSTEM_UDEV_RULE, writeDebScripts } from './linuxScripts';

/** Installer targets that need tools downloaded from outside the package registries. */
export const NOT_BUILT_HERE = [
  'AppImage and deb (Linux): electron-builder downloads appimagetool/fpm from github.com/electron-userland/electron-builder-binaries',
  'NSIS (Windows): electron-builder downloads NSIS from github.com/electron-userland/electron-builder-binaries',
  'dmg (macOS): needs macOS (hdiutil) and signing tools',
  'the real Electron binary (github.com/electron/electron releases): a stand-in with Electron\'s fuse wire is packaged instead',
] as const;

/** Result of a check run. */
export interface DistCheckReport {
  readonly checks: readonly ContentCheck[];
  readonly notBuilt: readonly string[];
  readonly appDir: string;
}

const projectDir = resolve(fileURLToPath(import.meta.url), '../../..');
const require = createRequire(import.meta.url);

function run(args: string[]): void {
  const r = spawnSync(process.execPath, args, { cwd: projectDir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${args.join(' ')} failed:\n${r.stdout}\n${r.stderr}`);
}

/** What {@link packageDir} produced. */
export interface PackagedDir {
  /** The unpacked app (linux-unpacked). */
  readonly appDir: string;
  /** The built app it packaged. */
  readonly builtDir: string;
  readonly notices: { packages: string[]; missing: string[] };
  readonly debScripts: { afterInstall: string; afterRemove: string };
}

/**
 * Build the app into `work` and package it with the `dir` target for linux-x64 against
 * `electronDist` (an unpacked Electron: the stand-in here, the real one where it exists).
 */
export async function packageDir(work: string, electronDist: string): Promise<PackagedDir> {
  const builtDir = join(work, 'out');
  run([electronViteCli(require.resolve), 'build', '--outDir', builtDir, '--sourcemap', '--logLevel', 'warn']);
  const licensesDir = join(work, 'licenses');
  const notices = writeNotices(projectDir, builtDir, licensesDir);
  const debScripts = writeDebScripts(join(work, 'deb'));
  const { build, Platform, Arch } = await import('electron-builder');
  await build({
    projectDir,
    targets: Platform.LINUX.createTarget('dir', Arch.x64),
    publish: 'never',
    config: builderConfig({ builtDir, outputDir: join(work, 'dist'), electronDist, licensesDir, debScripts }),
  });
  return { appDir: join(work, 'dist', 'linux-unpacked'), builtDir, notices, debScripts };
}

/** Build into a temporary folder, package, inspect. Leaves nothing behind unless `keep`. */
export async function runDistCheck(options: { keep?: boolean } = {}): Promise<DistCheckReport> {
  const work = mkdtempSync(join(tmpdir(), 'sensor-relay-dist-'));
  try {
    const electronDist = join(work, 'electron-dist');
    writeStandInElectron(electronDist);
    const { appDir, notices, debScripts } = await packageDir(work, electronDist);
    const asarPath = join(appDir, 'resources', 'app.asar');
    const asar = await import('@electron/asar');
    const files = asar.listPackage(asarPath, { isPack: false }).map((f) => f.replace(/\\/g, '/').replace(/^\//, ''));
    const unpacked = files.filter((f) => existsSync(join(appDir, 'resources', 'app.asar.unpacked', f)));
    const pkg = JSON.parse(asar.extractFile(asarPath, 'package.json').toString('utf8')) as { main?: string };
    const indexHtml = files.includes('out/renderer/index.html') ? asar.extractFile(asarPath, 'out/renderer/index.html').toString('utf8') : undefined;
    const mainSources = files.filter((f) => f.startsWith('out/main/') && f.endsWith('.js')).map((f) => asar.extractFile(asarPath, f).toString('utf8'));
    const mainImports = [...new Set(mainSources.flatMap(bareImports))].sort();
    const checks: ContentCheck[] = checkPackageContents({ files, unpacked, main: pkg.main, indexHtml, mainImports });

    const fuses = readFuses(join(appDir, EXECUTABLE_NAME));
    const wrongFuses = Object.entries(ELECTRON_FUSES).filter(([name, want]) => fuses?.[name as keyof typeof fuses] !== want);
    checks.push({
      name: 'fuses flipped in the packaged binary',
      ok: fuses !== null && wrongFuses.length === 0,
      detail: fuses === null ? 'no fuse wire found' : wrongFuses.length ? `wrong: ${wrongFuses.map(([n]) => n).join(', ')}` : Object.entries(fuses).map(([n, v]) => `${n}=${v}`).join(' '),
    });
    const rule = join(appDir, 'resources', UDEV_RULE_RESOURCE);
    checks.push({ name: 'udev rule in resources', ok: existsSync(rule) && readFileSync(rule, 'utf8').includes('0fcf'), detail: `resources/${UDEV_RULE_RESOURCE}` });
    const noticesPath = join(appDir, 'resources', 'licenses', NOTICES_FILE);
    const noticesText = existsSync(noticesPath) ? readFileSync(noticesPath, 'utf8') : '';
    checks.push({
      name: 'licences present',
      ok: existsSync(join(appDir, 'LICENSE.electron.txt')) && notices.packages.length > 0 && notices.packages.every((p) => noticesText.includes(`\n${p} `)) && notices.missing.length === 0,
      detail: `LICENSE.electron.txt + notices for ${notices.packages.join(', ')}${notices.missing.length ? `; no licence file: ${notices.missing.join(', ')}` : ''}`,
    });
    const postinst = readFileSync(debScripts.afterInstall, 'utf8');
    checks.push({
      name: 'deb post-install installs the udev rule and reloads udev',
      ok: postinst.includes(SYSTEM_UDEV_RULE) && postinst.includes('udevadm control --reload-rules') && postinst.includes('chrome-sandbox'),
      detail: 'electron-builder\'s script + install -m 0644 … && udevadm control --reload-rules && udevadm trigger',
    });
    return { checks, notBuilt: NOT_BUILT_HERE, appDir: options.keep ? appDir : '(removed)' };
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
}

/** Print a report: one line per check, then what was not built. */
export function formatReport(report: DistCheckReport): string {
  const lines = report.checks.map((c) => `${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail}`);
  lines.push('', 'Not built here (need downloads from outside the npm registry; configured in scripts/dist/builderConfig.ts):');
  for (const n of report.notBuilt) lines.push(`  - ${n}`);
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await runDistCheck({ keep: process.argv.includes('--keep') });
  console.log(formatReport(report));
  if (report.appDir !== '(removed)') console.log(`\nunpacked app kept at ${report.appDir}`);
  const failed = report.checks.filter((c) => !c.ok).length;
  console.log(failed ? `\ndist:check: ${failed} of ${report.checks.length} checks failed` : `\ndist:check: all ${report.checks.length} checks passed`);
  process.exit(failed ? 1 : 0);
}
