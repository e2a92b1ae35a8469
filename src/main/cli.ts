/** Command-line options shared by the Electron entry and the plain-Node entries (web, headless). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { BUILTIN_SCENARIOS } from '../shared/scenarios';

/** Parsed command-line options. */
export interface CliOptions {
  readonly simulate: string | null;
  /** A recorded session to replay as simulated devices. */
  readonly replay: string | null;
  /** Replay speed (1 = real time). */
  readonly replaySpeed: number;
  readonly host: string;
  readonly port: number;
  readonly token: string | null;
  readonly dataDir: string;
  readonly isHeadless: boolean;
  readonly isTestControlEnabled: boolean;
  readonly uiDir: string | null;
}

/** Default data directory: `$SENSOR_RELAY_DATA`, else the XDG data home. */
export function defaultDataDir(): string {
  if (process.env.SENSOR_RELAY_DATA) return process.env.SENSOR_RELAY_DATA;
  const base = process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share');
  return join(base, 'sensor-relay');
}

/** Usage text printed by `--help` (on stdout). */
const USAGE = `Usage: npm run web -- [options]     (or: npm run headless -- [options])

  --simulate <scenario>   load simulated devices: a built-in scenario or a scenario JSON file
                          built-in: ${Object.keys(BUILTIN_SCENARIOS).join(', ')}
  --replay <session>      replay a recorded session's raw BLE/ANT+ bytes through the decoders (folder or session id)
  --speed <n>             replay speed, 1 = real time (default 1)
  --host <address>        address to bind (default 127.0.0.1; anything else requires an access token)
  --port <n>              port (default 8787; 0 picks a free one)
  --token <secret>        access token for the UI and contract (generated when binding beyond loopback)
  --data-dir <dir>        where settings, recordings and outboxes live
  --headless              host only: no UI served (a gateway PC with an ANT+ stick and no screen)
  --test-control          enable the test-control surface (window.sensorRelayTest) for Playwright
  --help                  this text`;

/** What {@link parseCli} returns: options, or a message (the usage for `--help`, then `isHelp` is set). */
export type CliResult = { ok: true; value: CliOptions } | { ok: false; message: string; isHelp?: boolean };

/** Options that take a value (a value may start with a dash, like `--port -1`, and is then still that option's value). */
const VALUE_OPTIONS = new Set(['--simulate', '--replay', '--speed', '--host', '--port', '--token', '--data-dir', '--ui-dir']);

/** `--port -1` → `--port=-1`, so a negative number is read as the value and then refused with a sentence. */
function joinDashValues(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const next = argv[i + 1];
    if (VALUE_OPTIONS.has(a) && next !== undefined && /^-\d/.test(next)) {
      out.push(`${a}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

/** One line for a parse error of `node:util` parseArgs. */
function describeParseError(err: Error): string {
  const code = (err as Error & { code?: string }).code;
  const option = /'(-[^' ]+)/.exec(err.message)?.[1];
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && option) return `${option} is not an option.`;
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE' && option) return `${option} needs a value.`;
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') return `${/'([^']+)'/.exec(err.message)?.[1] ?? 'a value'} is not an option (options start with --).`;
  return err.message;
}

/** Parse argv (without node and script); returns a one-line message instead of throwing. */
export function parseCli(argv: readonly string[]): CliResult {
  const refuse = (what: string): CliResult => ({ ok: false, message: `Sensor Relay: ${what} Run with --help to see the options.` });
  let parsed;
  try {
    parsed = parseArgs({
      args: joinDashValues(argv),
      allowPositionals: false,
      strict: true,
      options: {
        simulate: { type: 'string' },
        replay: { type: 'string' },
        speed: { type: 'string', default: '1' },
        host: { type: 'string', default: '127.0.0.1' },
        port: { type: 'string', default: '8787' },
        token: { type: 'string' },
        'data-dir': { type: 'string' },
        headless: { type: 'boolean', default: false },
        'test-control': { type: 'boolean', default: false },
        'ui-dir': { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    return refuse(describeParseError(err as Error));
  }
  const v = parsed.values;
  if (v.help) return { ok: false, message: USAGE, isHelp: true };
  const port = Number(v.port);
  if (!/^\d+$/.test(v.port ?? '') || port > 65535) return refuse(`--port must be a whole number from 0 to 65535, not "${v.port}".`);
  const replaySpeed = Number(v.speed);
  if (!(replaySpeed > 0) || !Number.isFinite(replaySpeed)) return refuse(`--speed must be a positive number, not "${v.speed}".`);
  return {
    ok: true,
    value: {
      simulate: v.simulate ?? null,
      replay: v.replay ?? null,
      replaySpeed,
      host: v.host ?? '127.0.0.1',
      port,
      token: v.token ?? null,
      dataDir: v['data-dir'] ?? defaultDataDir(),
      isHeadless: v.headless ?? false,
      isTestControlEnabled: (v['test-control'] ?? false) || v.simulate !== undefined || v.replay !== undefined,
      uiDir: v['ui-dir'] ?? null,
    },
  };
}

/** Whether an address is loopback (web mode then needs no token). */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
