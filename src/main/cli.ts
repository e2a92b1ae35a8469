/** Command-line options shared by the Electron entry and the plain-Node entries (web, headless). */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

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

/** Usage text printed by `--help` and on bad options. */
export const USAGE = `Usage: npm run web -- [options]     (or: npm run headless -- [options])

  --simulate <scenario>   load simulated devices: a built-in name (demo, steady3) or a scenario JSON file
  --replay <session>      replay a recorded session's raw BLE/ANT+ bytes through the decoders (folder or session id)
  --speed <n>             replay speed, 1 = real time (default 1)
  --host <address>        address to bind (default 127.0.0.1; anything else requires an access token)
  --port <n>              port (default 8787; 0 picks a free one)
  --token <secret>        access token for the UI and contract (generated when binding beyond loopback)
  --data-dir <dir>        where settings, recordings and outboxes live
  --headless              host only: no UI served (a gateway PC with an ANT+ stick and no screen)
  --test-control          enable the test-control surface (window.sensorRelayTest) for Playwright
  --help                  this text`;

/** Parse argv (without node and script); returns an error message instead of throwing. */
export function parseCli(argv: readonly string[]): { ok: true; value: CliOptions } | { ok: false; message: string } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
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
    return { ok: false, message: `${(err as Error).message}\n\n${USAGE}` };
  }
  const v = parsed.values;
  if (v.help) return { ok: false, message: USAGE };
  const port = Number(v.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    return { ok: false, message: `--port must be a number from 0 to 65535, not "${v.port}".` };
  }
  const replaySpeed = Number(v.speed);
  if (!(replaySpeed > 0)) return { ok: false, message: `--speed must be a positive number, not "${v.speed}".` };
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
