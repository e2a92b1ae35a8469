// `npm start`: build and launch the Electron app. Without the Electron binary (it is downloaded
// from outside the npm registry, so some machines cannot have it) say so in one message and
// point at web mode, which is the same app in a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const args = process.argv.slice(2);

function electronBinary() {
  try {
    const dir = dirname(require.resolve('electron/package.json'));
    const pathFile = join(dir, 'path.txt');
    if (!existsSync(pathFile)) return null;
    const bin = join(dir, 'dist', readFileSync(pathFile, 'utf8').trim());
    return existsSync(bin) ? bin : null;
  } catch {
    return null;
  }
}

let bin = electronBinary();
if (!bin) {
  // Install scripts are off (.npmrc): fetch the binary now, where Electron's servers are reachable.
  const dir = dirname(require.resolve('electron/package.json'));
  const fetched = spawnSync(process.execPath, [join(dir, 'install.js')], { stdio: 'ignore', timeout: 120_000 });
  if (fetched.status === 0) bin = electronBinary();
}
if (!bin) {
  console.error(
    'Sensor Relay: the Electron binary is not installed on this machine (npm cannot fetch it here), so the desktop app cannot start. ' +
      `Run \`npm run web${args.length ? ` -- ${args.join(' ')}` : ''}\` for the same app in your browser ` +
      '(`npm start` downloads the binary by itself on a machine that can reach Electron\'s download servers).',
  );
  process.exit(1);
}

const build = spawnSync(process.execPath, [require.resolve('electron-vite/package.json').replace(/package\.json$/, 'bin/electron-vite.js'), 'build'], { stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);
const flags = process.platform === 'linux' ? ['--enable-features=WebBluetooth,WebBluetoothNewPermissionsBackend'] : [];
const child = spawn(bin, [...flags, '.', ...args], { stdio: 'inherit' });
child.on('exit', (code) => process.exit(code ?? 0));
