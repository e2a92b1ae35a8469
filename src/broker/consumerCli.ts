/**
 * `npm run consumer`: a Terra streaming consumer that prints (or writes) one JSON line per DISPATCH,
 * de-duplicated by seq and by reading (uid, t, ts), and back-filled with REPLAY after reconnects.
 *
 *   npm run consumer -- --url ws://127.0.0.1:8790/connect (--token-url URL | --dev-id ID --api-key KEY) [--out file.jsonl]
 *
 * Credentials may also come from TERRA_DEV_ID / TERRA_API_KEY (keeps the key out of the process list).
 */
import { createWriteStream } from 'node:fs';
import { parseArgs } from 'node:util';
import { encodeFrame } from '../shared/terra';
import { createConsumer } from './consumer';
import { developerTokenSource, httpBaseOf, tokenUrlSource, type TokenSource } from '../client/tokenSources';

const USAGE = `usage: npm run consumer -- --url ws://host:port/connect (--token-url URL | --dev-id ID --api-key KEY) [--out file.jsonl]
  --token-url URL      POST URL on your backend that answers {"token": "..."} (recommended)
  --dev-id, --api-key  developer credentials, used against <broker>/auth/developer (or TERRA_DEV_ID / TERRA_API_KEY)
  --auth-url URL       token endpoint base when it differs from the WebSocket host (default: derived from --url)
  --out FILE           append JSON lines to FILE instead of stdout
  --no-backfill        do not REPLAY gaps after reconnects
  --quiet              no status lines on stderr`;

function fail(message: string): never {
  console.error(`consumer: ${message}\n\n${USAGE}`);
  process.exit(2);
}

/** Parse flags and run a consumer until Ctrl-C or a fatal close. */
export function main(argv: string[] = process.argv.slice(2)): void {
  let args;
  try {
    args = parseArgs({
      args: argv,
      options: {
        url: { type: 'string' },
        'token-url': { type: 'string' },
        'dev-id': { type: 'string' },
        'api-key': { type: 'string' },
        'auth-url': { type: 'string' },
        out: { type: 'string' },
        'no-backfill': { type: 'boolean' },
        quiet: { type: 'boolean' },
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
  const url = args.url ?? fail('--url is required');
  if (!/^wss?:\/\//.test(url)) fail(`--url must start with ws:// or wss://, got ${url}`);
  const devId = args['dev-id'] ?? process.env.TERRA_DEV_ID;
  const apiKey = args['api-key'] ?? process.env.TERRA_API_KEY;
  let token: TokenSource;
  if (args['token-url']) token = tokenUrlSource(args['token-url']);
  else if (devId && apiKey) token = developerTokenSource(args['auth-url'] ?? httpBaseOf(url), devId, apiKey);
  else fail('give --token-url, or --dev-id and --api-key (or TERRA_DEV_ID and TERRA_API_KEY)');
  const status = (line: string): void => {
    if (!args.quiet) console.error(`${new Date().toISOString()} ${line}`);
  };
  const out = args.out ? createWriteStream(args.out, { flags: 'a' }) : process.stdout;
  out.on('error', (err) => {
    console.error(`consumer: cannot write ${args.out}: ${err.message}`);
    process.exit(1);
  });
  const consumer = createConsumer({
    url,
    token,
    isBackfillEnabled: !args['no-backfill'],
    onDispatch: (frame) => out.write(`${encodeFrame(frame)}\n`),
    // a retry's reason is already in the log line just before it; a stop's reason is printed by onFatal
    onState: (state, detail) => status(state === 'backoff' || state === 'stopped' || !detail ? state : `${state}: ${detail}`),
    onFatal: (error) => {
      console.error(`consumer stopped: ${error.message}`);
      process.exitCode = 1;
    },
    log: status,
  });
  if (args.out) {
    const tick = setInterval(() => {
      const s = consumer.stats;
      status(`${s.delivered} dispatches written (${s.replayed} from replay, ${s.duplicates + s.duplicateReadings} duplicates skipped: ${s.duplicates} by seq, ${s.duplicateReadings} re-sent readings), last seq ${s.highestSeq}`);
    }, 10_000);
    tick.unref();
  }
  process.once('SIGINT', () => {
    consumer.stop();
    if (args.out) (out as NodeJS.WritableStream).end(() => process.exit(0));
    else process.exit(0);
  });
}

main();
