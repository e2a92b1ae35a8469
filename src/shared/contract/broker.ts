/** The broker-uplink section of the UI–host contract: settings, per-uplink state, test connection. */
import { z } from 'zod';
import { METRIC_IDS } from '../metrics';
import { command, noArgs } from './schemas';

/** Shown wherever developer credentials are chosen. */
export const API_KEY_WARNING =
  'An API key stored on a desktop can be copied by anyone who uses or steals this computer, and it gives full access to your Terra developer account. Prefer a token URL on your own backend, or an rt. token.';

/** Where producer tokens come from (secrets travel separately and are never part of the settings file). */
export const tokenSourceConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }),
  /** Your backend: POST returns `{"token": ...}`; `{userId}` in the URL is replaced, else `?id=` is added. */
  z.object({ kind: z.literal('tokenUrl'), url: z.url({ protocol: /^https?$/ }) }),
  /** Terra developer credentials against `POST /auth/user?id=` (API key in the secret store). */
  z.object({ kind: z.literal('developer'), devId: z.string().min(1).max(200), authBase: z.url({ protocol: /^https?$/ }).optional() }),
  /** A reusable `rt.` token (in the secret store), bound to one user. */
  z.object({ kind: z.literal('rt'), expiresAt: z.union([z.number(), z.string()]).optional() }),
]);
/** Token source configuration. */
export type TokenSourceConfig = z.infer<typeof tokenSourceConfigSchema>;

/** Which broker the uplinks connect to. */
export const brokerTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('embedded') }),
  z.object({ kind: z.literal('url'), url: z.string().regex(/^wss?:\/\//, 'must start with wss:// (or ws:// on loopback)').max(500) }),
]);

/** `<dataDir>/broker-settings.json` (no secrets in it). */
export const brokerSettingsSchema = z.object({
  version: z.literal(1).default(1),
  isEnabled: z.boolean().default(true),
  target: brokerTargetSchema.default({ kind: 'embedded' }),
  tokenSource: tokenSourceConfigSchema.default({ kind: 'embedded' }),
  /** Terra user of the single uplink used when no participant has a Terra user id. */
  defaultUserId: z.string().min(1).max(120).default('default-user'),
  outbox: z
    .object({
      maxEntries: z.number().int().min(100).max(50_000_000).default(500_000),
      /** Keep delivered outbox segments (audits, tests) instead of deleting them. */
      isDeliveredKept: z.boolean().default(false),
    })
    .prefault({}),
  /** Preferred port of the embedded broker. */
  embeddedPort: z.number().int().min(0).max(65535).default(8790),
});
/** Broker settings with defaults filled in. */
export type BrokerSettings = z.output<typeof brokerSettingsSchema>;

const closeSchema = z.object({ code: z.number(), reason: z.string(), atMs: z.number() });
const errorSchema = z.object({ code: z.string(), message: z.string() });

/** One uplink (one Terra user) as the UI shows it. */
export const uplinkViewSchema = z.object({
  key: z.string(),
  userId: z.string(),
  participantName: z.string().nullable(),
  state: z.enum(['idle', 'minting', 'connecting', 'identifying', 'ready', 'backoff', 'stopped']),
  url: z.string(),
  lastClose: closeSchema.nullable(),
  error: errorSchema.nullable(),
  connections: z.number(),
  ignoredFrames: z.number(),
  outbox: z.object({
    queued: z.number(),
    inFlight: z.number(),
    delivered: z.number(),
    dropped: z.number(),
    lagMs: z.number(),
    maxEntries: z.number(),
    isNearLimit: z.boolean(),
    corruptLines: z.number(),
    /** Readings that could not be stored (disk full): never sent. */
    unstored: z.number().optional(),
  }),
});

/** Everything the broker panel shows. */
export const brokerStateSchema = z.object({
  settings: brokerSettingsSchema,
  hasApiKey: z.boolean(),
  hasRtToken: z.boolean(),
  secretStore: z.enum(['file', 'safeStorage']),
  /** The broker the uplinks use (the embedded one's loopback URL, or the configured URL). */
  targetUrl: z.string().nullable(),
  embedded: z.object({ url: z.string(), httpUrl: z.string(), credentialsPath: z.string() }).nullable(),
  uplinks: z.array(uplinkViewSchema),
  /** Metrics the catalogue has no Terra label for: never sent (`isSeen`: this session produced some). */
  unforwardedMetrics: z.array(z.object({ metric: z.enum(METRIC_IDS), isSeen: z.boolean() })),
  /** Readings of devices assigned to nobody (or to a participant without a Terra user) while participants are set up. */
  unroutedReadings: z.number(),
  /** Problems to show (bad settings file, broker not started, …). */
  notices: z.array(z.string()),
});
/** Broker panel state. */
export type BrokerState = z.output<typeof brokerStateSchema>;

/** A change to the settings: only the given fields change (no defaults here, so absent fields stay). */
export const brokerSettingsPatchSchema = z.object({
  isEnabled: z.boolean().optional(),
  target: brokerTargetSchema.optional(),
  tokenSource: tokenSourceConfigSchema.optional(),
  defaultUserId: z.string().min(1).max(120).optional(),
  outbox: z.object({ maxEntries: z.number().int().min(100).max(50_000_000).optional(), isDeliveredKept: z.boolean().optional() }).optional(),
  embeddedPort: z.number().int().min(0).max(65535).optional(),
});

/** Changes to the settings plus secrets (`null` deletes a secret; absent leaves it). */
export const brokerConfigureSchema = z.object({
  settings: brokerSettingsPatchSchema.optional(),
  apiKey: z.string().min(1).max(500).nullable().optional(),
  rtToken: z.string().regex(/^rt\./, 'an rt. token starts with "rt."').max(2000).nullable().optional(),
});

/** Broker commands. */
export const brokerCommands = {
  'broker.state': command(noArgs, brokerStateSchema),
  'broker.configure': command(brokerConfigureSchema, brokerStateSchema),
  /** Mint a token and reach READY once with the current settings (no readings are sent). */
  'broker.testConnection': command(
    z.object({ userId: z.string().min(1).max(120).optional() }),
    z.object({ isOk: z.boolean(), message: z.string(), code: z.string().nullable(), elapsedMs: z.number() }),
  ),
} as const;

/** Broker events (at most 2 per second). */
export const brokerEvents = {
  brokerState: brokerStateSchema,
} as const;
