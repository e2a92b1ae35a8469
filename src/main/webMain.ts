/**
 * Plain-Node entry: `npm run web` (host + UI in a browser) and `npm run headless` (host only).
 * Prints the URL, and shuts down cleanly on Ctrl-C.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isLoopback, parseCli } from './cli';
import { createHost } from './host';
import { prepareDataDir } from './dataDir';
import { loadScenario } from './sim/scenarioFiles';
import { startWebServer } from './web/webServer';
import { startReplay } from './replay/startReplay';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..');

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  if (!cli.ok) {
    if (cli.isHelp) {
      console.log(cli.message);
      return 0;
    }
    console.error(cli.message);
    return 2;
  }
  const opts = cli.value;
  const scenario = opts.simulate ? loadScenario(opts.simulate) : null;
  if (scenario && !scenario.ok) {
    console.error(`Sensor Relay: ${scenario.message}`);
    return 2;
  }
  const token = opts.token ?? (isLoopback(opts.host) ? null : randomBytes(18).toString('base64url'));
  const uiDir = opts.isHeadless ? null : (opts.uiDir ?? join(repoRoot, 'out', 'renderer'));
  if (uiDir && !existsSync(join(uiDir, 'index.html'))) {
    console.error(`Sensor Relay: the UI is not built (${uiDir} has no index.html). Run \`npm run web\`, which builds it.`);
    return 2;
  }
  const dataDir = prepareDataDir(opts.dataDir);
  if (!dataDir.ok) {
    console.error(dataDir.message);
    return 2;
  }
  const host = createHost({
    mode: opts.isHeadless ? 'headless' : 'web',
    dataDir: opts.dataDir,
    scenario: scenario?.value,
    isTestControlEnabled: opts.isTestControlEnabled,
    version: readVersion(),
  });
  await host.start();
  let server;
  try {
    server = await startWebServer(host, { host: opts.host, port: opts.port, uiDir, token });
  } catch (err) {
    console.error(`Sensor Relay: ${(err as Error).message}`);
    await host.stop();
    return 1;
  }
  const what = opts.isHeadless ? 'headless host (contract at /contract)' : 'web UI';
  console.log(`Sensor Relay ${what} on ${server.url}`);
  if (scenario?.ok) console.log(`Simulating scenario "${scenario.value.name}" (${scenario.value.devices.length} devices).`);
  console.log(`Data directory: ${opts.dataDir}`);
  for (const line of brokerLines(host.broker.state().embedded)) console.log(line);
  if (opts.replay) {
    const replay = await startReplay(host, opts.replay, opts.replaySpeed);
    if (!replay.ok) {
      console.error(`Sensor Relay: ${replay.message}`);
      await server.close();
      await host.stop();
      return 2;
    }
    console.log(`Replaying ${replay.value.messageCount} raw messages from "${opts.replay}" at ${opts.replaySpeed}× speed.`);
    void replay.value.done.then((stats) => console.log(`Replay finished: ${stats.ble} BLE notifications, ${stats.ant} ANT+ messages.`));
  }

  await new Promise<void>((resolvePromise) => {
    const stop = (): void => resolvePromise();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  await host.stop();
  return 0;
}

/** Where the built-in broker listens (it moves to a free port when 8790 is taken) and the consumer command for it. */
function brokerLines(embedded: { readonly url: string; readonly credentialsPath: string } | null): string[] {
  if (!embedded) return ['Built-in broker: not running (a broker URL is configured in the Broker panel).'];
  const credentials = JSON.stringify(resolve(embedded.credentialsPath)); // absolute: require() reads a bare relative name as a package
  return [
    `Built-in broker on ${embedded.url} (credentials in ${resolve(embedded.credentialsPath)}). Watch it with:`,
    `  npm run consumer -- --url ${embedded.url} --dev-id local --api-key "$(node -p 'require(${credentials}).apiKey')"`,
  ];
}

function readVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('Sensor Relay stopped on an unexpected error:', err);
    process.exit(1);
  },
);
