/**
 * Configuration of the local Terra-compatible broker. Every choice listed in
 * docs/broker-protocol.md §12 is a field here, with the documented default.
 */
import { z } from 'zod';
import { fail, ok, type Result } from '../shared/errors';
import {
  DEFAULT_HEARTBEAT_GRACE_FACTOR,
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_IDENTIFY_TIMEOUT_MS,
} from '../shared/terra';

const developerSchema = z.object({
  /** `dev-id` credential. */
  devId: z.string().min(1),
  /** `x-api-key` credential. */
  apiKey: z.string().min(1),
  /** Terra user ids that belong to this developer (the only ids `/auth/user?id=` accepts). */
  users: z.array(z.string().min(1)).default([]),
  /** Accept any user id on `/auth/user` for this developer (the app's embedded broker, where participants come and go). */
  acceptAnyUser: z.boolean().default(false),
  /** Consumer session cap for this developer; default: the broker-wide `consumerCap`. */
  consumerCap: z.number().int().positive().optional(),
});

const rtTokenSchema = z.object({
  /** The reusable token; must start with `rt.`. */
  token: z.string().regex(/^rt\./, 'rt. tokens start with "rt."'),
  /** The user it is bound to (must be listed under a developer). */
  userId: z.string().min(1),
  /** Expiry: epoch ms or an ISO date-time; absent = never. */
  expiresAt: z.union([z.number(), z.string().datetime({ offset: true })]).optional(),
});

/** Schema of a broker configuration (programmatic or a JSON file). */
export const brokerConfigSchema = z.object({
  /** TCP port; 0 picks a free one. */
  port: z.number().int().min(0).max(65535).default(0),
  host: z.string().default('127.0.0.1'),
  heartbeatIntervalMs: z.number().int().positive().default(DEFAULT_HEARTBEAT_INTERVAL_MS),
  identifyTimeoutMs: z.number().int().positive().default(DEFAULT_IDENTIFY_TIMEOUT_MS),
  /** Heartbeat deadline = factor × interval after HELLO and after every HEARTBEAT (§5.4). */
  heartbeatGraceFactor: z.number().min(1).default(DEFAULT_HEARTBEAT_GRACE_FACTOR),
  /** Lifetime of minted single-use tokens (§2.3). */
  tokenLifetimeMs: z.number().int().positive().default(300_000),
  developers: z.array(developerSchema).default([]),
  rtTokens: z.array(rtTokenSchema).default([]),
  /** Consumer sessions per developer (§8, 4002). */
  consumerCap: z.number().int().positive().default(10),
  /** `sparse`: seq grows by a random 1–3; `dense`: by 1 (§6.2). */
  seqMode: z.enum(['sparse', 'dense']).default('sparse'),
  /** Replay retention and warehouse lag (§7). */
  replay: z
    .object({
      maxCount: z.number().int().positive().default(100_000),
      maxAgeMs: z.number().int().positive().default(24 * 3600 * 1000),
      /** Bytes of DISPATCH text retained per developer; the oldest go first beyond it. */
      maxBytes: z.number().int().positive().default(64 * 1024 * 1024),
      lagMs: z.number().int().min(0).default(0),
    })
    .prefault({}),
  /** Folder for the seq counter and the replay store; absent: memory only. */
  dataDir: z.string().optional(),
  /** Serve `wss://`/`https://` with this PEM certificate and key (contents, not paths). */
  tls: z.object({ cert: z.string().min(1), key: z.string().min(1) }).optional(),
  /** A consumer whose socket buffers more than this is closed with 1011 (it can reconnect and REPLAY). */
  maxConsumerBufferBytes: z.number().int().positive().default(64 * 1024 * 1024),
  /** Sockets that have not yet identified (HELLO sent, no IDENTIFY yet); more are refused with 503. */
  maxUnidentifiedSessions: z.number().int().positive().default(256),
});

/** Broker configuration as written (defaults optional). */
export type BrokerConfigInput = z.input<typeof brokerConfigSchema>;
/** Broker configuration with every default filled in. */
export type BrokerConfig = z.output<typeof brokerConfigSchema>;
/** One developer account. */
export type DeveloperConfig = z.output<typeof developerSchema>;

/** Validate a configuration and check cross-references (rt. token users, duplicate developers). */
export function parseBrokerConfig(input: unknown): Result<BrokerConfig> {
  const parsed = brokerConfigSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue?.path.length ? issue.path.join('.') : 'config';
    return fail('BROKER_BAD_CONFIG', `broker config: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const config = parsed.data;
  const devIds = new Set<string>();
  for (const dev of config.developers) {
    if (devIds.has(dev.devId)) return fail('BROKER_BAD_CONFIG', `broker config: developer "${dev.devId}" is listed twice`);
    devIds.add(dev.devId);
  }
  for (const rt of config.rtTokens) {
    if (!config.developers.some((d) => d.users.includes(rt.userId) || d.acceptAnyUser)) {
      return fail('BROKER_BAD_CONFIG', `broker config: rt. token for user "${rt.userId}", who is not listed under any developer`);
    }
  }
  return ok(config);
}

/** Development credentials for local use only (printed with a warning by the CLI). */
export const DEV_CONFIG: BrokerConfigInput = {
  developers: [
    {
      devId: 'dev-local',
      apiKey: 'dev-local-key-not-secret',
      users: ['athlete-1', 'athlete-2', 'athlete-3', 'athlete-4', 'default-user'],
    },
  ],
  rtTokens: [{ token: 'rt.dev-local-athlete-1', userId: 'athlete-1' }],
};
