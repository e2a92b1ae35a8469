/**
 * `npm run broker`: the local Terra-compatible broker as a standalone server for a lab.
 *
 *   npm run broker -- [--port 8790] [--host 127.0.0.1] [--config broker.json] [--data-dir DIR]
 *                     [--heartbeat-ms 40000] [--dense] [--tls-cert cert.pem --tls-key key.pem] [--json]
 *
 * Environment: BROKER_PORT, BROKER_HOST, BROKER_CONFIG, BROKER_DATA_DIR. Without a config file it
 * runs with built-in development credentials and says so.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createBroker } from './broker';
import { DEV_CONFIG, type BrokerConfigInput } from './config';
import { isLoopbackHostname } from '../shared/loopback';

const USAGE = `usage: npm run broker -- [--port 8790] [--host 127.0.0.1] [--config broker.json] [--data-dir DIR]
                         [--heartbeat-ms 40000] [--dense] [--tls-cert cert.pem --tls-key key.pem] [--json]
  --json   print {"url","httpUrl","port","pid"} as the first stdout line
config file (JSON): {"developers":[{"devId":"…","apiKey":"…","users":["…"]}],"rtTokens":[{"token":"rt.…","userId":"…"}], …}
every other field of the config (identifyTimeoutMs, tokenLifetimeMs, consumerCap, seqMode, replay) may be set there too.`;

function fail(message: string): never {
  console.error(`broker: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function readJson(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    fail(`cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    fail(`${path} is not valid JSON: ${(err as Error).message}`);
  }
}

/** Parse flags, start the broker, print where it listens and where its credentials come from. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        config: { type: 'string' },
        'data-dir': { type: 'string' },
        'heartbeat-ms': { type: 'string' },
        dense: { type: 'boolean' },
        json: { type: 'boolean' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
  if (args.help) {
    console.log(USAGE);
    return;
  }
  const configPath = args.config ?? process.env.BROKER_CONFIG;
  const fileConfig = (configPath ? readJson(resolve(configPath)) : DEV_CONFIG) as BrokerConfigInput;
  if (typeof fileConfig !== 'object' || fileConfig === null) fail(`${configPath} must hold a JSON object`);
  const portText = args.port ?? process.env.BROKER_PORT;
  const port = portText === undefined ? (fileConfig.port ?? 8790) : Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) fail(`--port must be an integer 0–65535, got ${portText}`);
  const heartbeat = args['heartbeat-ms'] === undefined ? undefined : Number(args['heartbeat-ms']);
  if (heartbeat !== undefined && !(Number.isInteger(heartbeat) && heartbeat > 0)) fail('--heartbeat-ms must be a positive integer');
  if (Boolean(args['tls-cert']) !== Boolean(args['tls-key'])) fail('--tls-cert and --tls-key go together');
  const tls = args['tls-cert'] && args['tls-key'] ? { cert: readFileSync(args['tls-cert'], 'utf8'), key: readFileSync(args['tls-key'], 'utf8') } : fileConfig.tls;
  const config: BrokerConfigInput = {
    ...fileConfig,
    port,
    host: args.host ?? process.env.BROKER_HOST ?? fileConfig.host ?? '127.0.0.1',
    dataDir: args['data-dir'] ?? process.env.BROKER_DATA_DIR ?? fileConfig.dataDir,
    ...(heartbeat !== undefined ? { heartbeatIntervalMs: heartbeat } : {}),
    ...(args.dense ? { seqMode: 'dense' as const } : {}),
    ...(tls ? { tls } : {}),
  };
  const refusal = devCredentialsRefusal(configPath, config.host ?? '127.0.0.1');
  if (refusal) fail(refusal);
  const started = await createBroker(config, (line) => console.error(`${new Date().toISOString()} ${line}`));
  if (!started.ok) fail(started.message);
  const broker = started.value;
  const c = broker.config;
  if (args.json) {
    // One machine-readable line first (for scripts and tests that spawn the broker); no secrets in it.
    console.log(JSON.stringify({ url: broker.url, httpUrl: broker.httpUrl, port: broker.port, pid: process.pid }));
  }
  console.log(`Terra-compatible broker listening`);
  console.log(`  WebSocket        ${broker.url}`);
  console.log(`  producer tokens  POST ${broker.httpUrl}/auth/user?id=<user id>`);
  console.log(`  consumer tokens  POST ${broker.httpUrl}/auth/developer`);
  console.log(`  admin            GET ${broker.httpUrl}/admin/stats, /admin/status?user=<id> (developer credentials)`);
  console.log(`  heartbeat ${c.heartbeatIntervalMs} ms, identify timeout ${c.identifyTimeoutMs} ms, token lifetime ${c.tokenLifetimeMs} ms, seq ${c.seqMode}, consumer cap ${c.consumerCap}`);
  console.log(`  replay store     ${c.dataDir ? resolve(c.dataDir) : 'memory only (use --data-dir to keep seq and replay across restarts)'}`);
  if (configPath) {
    console.log(`  credentials      from ${resolve(configPath)}: developers ${c.developers.map((d) => d.devId).join(', ') || '(none)'}`);
  } else {
    const dev = c.developers[0]!;
    console.log(`  credentials      built-in DEVELOPMENT credentials: dev-id ${dev.devId}, api key ${dev.apiKey}`);
    console.log(`                   users ${dev.users.join(', ')}; rt. token ${c.rtTokens[0]?.token} (user ${c.rtTokens[0]?.userId})`);
    console.warn(`WARNING: these are development credentials known to anyone who reads the source. Use --config for anything but local testing.`);
  }
  if (!isLoopbackHostname(c.host) && !c.tls) {
    console.warn(`WARNING: listening on ${c.host} without TLS: tokens and data cross the network in clear text. Add --tls-cert/--tls-key.`);
  }
  const summary = setInterval(() => {
    const s = broker.admin.stats();
    console.error(
      `${new Date().toISOString()} sessions: ${s.sessions.producer} producer, ${s.sessions.consumer} consumer, ${s.sessions.unidentified} unidentified; dispatches ${s.counters.dispatches}, replayed ${s.counters.replayed}`,
    );
  }, 60_000);
  summary.unref();
  const shutdown = (signal: string): void => {
    console.error(`${signal}: closing sessions (1000) and flushing the replay store`);
    void broker.close().then(() => process.exit(0));
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

/**
 * The public development credentials are for this machine only: without `--config`, a broker
 * bound beyond loopback refuses to start (anyone who reads the source knows the key).
 */
function devCredentialsRefusal(configPath: string | undefined, host: string): string | null {
  if (configPath || isLoopbackHostname(host)) return null;
  return `refusing to listen on ${host} with the built-in development credentials, which anyone who reads the source knows. Pass --config <file> with your own developers and keys, or bind to 127.0.0.1.`;
}

void main();
