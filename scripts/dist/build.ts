/**
 * `npm run dist`: build the app and the installers of this platform (or those named:
 * `npm run dist -- --linux --win --mac`). What each target downloads and from where is in
 * docs/packaging.md; set SENSOR_RELAY_UPDATE_URL to give the build an update feed.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builderConfig, electronViteCli } from './builderConfig';
import { writeNotices } from './licenses';
import { writeDebScripts } from './linuxScripts';

const projectDir = resolve(fileURLToPath(import.meta.url), '../../..');
const require = createRequire(import.meta.url);

const built = spawnSync(process.execPath, [electronViteCli(require.resolve), 'build', '--sourcemap'], { cwd: projectDir, stdio: 'inherit' });
if (built.status !== 0) process.exit(built.status ?? 1);
const staging = join(projectDir, '.tmp', 'dist-staging');
const notices = writeNotices(projectDir, join(projectDir, 'out'), join(staging, 'licenses'));
if (notices.missing.length) console.warn(`Bundled packages without a licence file: ${notices.missing.join(', ')}`);

const platforms = process.argv.slice(2).filter((a) => ['--linux', '--win', '--mac'].includes(a));
const { build, Platform } = await import('electron-builder');
const targets = platforms.length
  ? new Map([...(platforms.includes('--linux') ? [Platform.LINUX] : []), ...(platforms.includes('--win') ? [Platform.WINDOWS] : []), ...(platforms.includes('--mac') ? [Platform.MAC] : [])].map((p) => p.createTarget()).flatMap((m) => [...m]))
  : undefined;
const updateUrl = process.env.SENSOR_RELAY_UPDATE_URL;
try {
  const artifacts = await build({
    projectDir,
    ...(targets ? { targets } : {}),
    publish: 'never',
    config: builderConfig({ licensesDir: join(staging, 'licenses'), debScripts: writeDebScripts(join(staging, 'deb')), ...(updateUrl ? { updateUrl } : {}) }),
  });
  console.log(`Installers written:\n${artifacts.map((a) => `  ${a}`).join('\n')}`);
} catch (err) {
  const message = err instanceof Error ? err.message : String(err);
  const isDownload = /ENOTFOUND|ECONNREFUSED|ETIMEDOUT|EAI_AGAIN|getaddrinfo|github\.com|socket hang up/i.test(message);
  console.error(
    isDownload
      ? `Sensor Relay: building the installers needs downloads from outside the npm registry (Electron and electron-builder's tools from github.com), and they failed: ${message}. ` +
          'On this machine run `npm run dist:check` instead; README "Building installers" lists what each target downloads.'
      : `Sensor Relay: electron-builder failed: ${message}`,
  );
  process.exit(1);
}
