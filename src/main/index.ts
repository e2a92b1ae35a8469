/**
 * The Electron entry: parses the command line, starts the plain-Node host and hands it to the
 * Electron glue in `electron/`. `npm start -- --simulate demo` loads a scenario.
 */
import { app, BrowserWindow, ipcMain, protocol, screen, session, shell } from 'electron';
import { createSafeStorageSecretStore } from './electron/secretsSafeStorage';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { APP_SCHEME_PRIVILEGES, installAppProtocol, rendererUrl } from './electron/appProtocol';
import { loadElectronUpdater, readUpdateSettings, startAutoUpdate } from './electron/autoUpdate';
import { parseCli } from './cli';
import { startElectronUi } from './electron/app';
import { bluetoothSwitches } from './electron/bluetoothChooser';
import { createHost } from './host';
import { loadScenario } from './sim/scenarioFiles';
import { startReplay } from './replay/startReplay';

function fail(message: string): never {
  console.error(`Sensor Relay: ${message}`);
  app.exit(2);
  throw new Error(message);
}

async function main(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    console.error('Sensor Relay is already running; this second instance exits (ANT+ sticks can have one owner only).');
    app.exit(0);
    return;
  }
  const args = process.argv.slice(app.isPackaged ? 1 : 2).filter((a) => !a.startsWith('--inspect') && a !== '.');
  const cli = parseCli(args.filter((a) => !/^--(no-sandbox|enable-features|remote-debugging-port)/.test(a)));
  if (!cli.ok) {
    if (cli.isHelp) {
      console.log(cli.message);
      app.exit(0);
      return;
    }
    fail(cli.message);
  }
  const scenario = cli.value.simulate ? loadScenario(cli.value.simulate) : null;
  if (scenario && !scenario.ok) fail(scenario.message);

  // Web Bluetooth (and getDevices for remembered sensors) must be enabled before the app is ready
  for (const [name, value] of bluetoothSwitches(process.platform, app.commandLine.getSwitchValue('enable-features'))) {
    app.commandLine.appendSwitch(name, value);
  }
  // the UI's own scheme must be registered before the app is ready (docs/packaging.md)
  protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);
  await app.whenReady();
  const dataDir = process.env.SENSOR_RELAY_DATA ?? join(app.getPath('userData'), 'data');
  const host = createHost({
    mode: 'electron',
    dataDir,
    // broker tokens and API keys live in the OS keychain (safeStorage), never in plain files
    secrets: createSafeStorageSecretStore(join(dataDir, 'secrets.safe.json')),
    scenario: scenario?.value,
    isTestControlEnabled: cli.value.isTestControlEnabled,
    version: app.getVersion(),
  });
  await host.start();
  // "Open folder" after an export: the system file manager (resolves to '' or an error message)
  host.recording.setFolderOpener((dir) => shell.openPath(dir));
  if (cli.value.replay) {
    const replay = await startReplay(host, cli.value.replay, cli.value.replaySpeed);
    if (!replay.ok) host.notice('error', replay.message, replay.code);
  }
  const here = dirname(fileURLToPath(import.meta.url));
  // the renderer build on app://sensor-relay/; a dev server only in development builds
  installAppProtocol(session.defaultSession.protocol, join(here, '../renderer'));
  const appUrl = rendererUrl(app.isPackaged, process.env.ELECTRON_RENDERER_URL);
  const preload = join(here, '../preload/index.cjs');
  startElectronUi({ app, BrowserWindow, ipcMain, screen, session: () => session.defaultSession }, host, { preload, appUrl });
  void startAutoUpdate({
    isPackaged: app.isPackaged,
    settings: readUpdateSettings(dataDir),
    loadUpdater: loadElectronUpdater,
    notice: (level, message, code) => host.notice(level, message, code),
  });
  app.on('window-all-closed', () => {
    void host.stop().then(() => app.quit());
  });
}

void main();
