/**
 * Where an uplink gets its producer token (reference/broker-protocol.md §2.3, §2.4, §13.1): one fresh
 * token per connection attempt, fetched before the socket opens. Sources:
 * 1. `tokenUrl` — a URL on the customer's backend answering `{"token": ...}` (recommended);
 * 2. `developer` — Terra developer credentials used directly against `POST /auth/user?id=` (works,
 *    but puts an API key on the desktop: {@link DEVELOPER_KEY_WARNING} is shown);
 * 3. `rt` — a reusable `rt.` token (optional expiry), sent unchanged on every connection;
 * 4. `embedded` — minted in-process by the app's own loopback broker.
 * Secrets (API keys, tokens) are never part of a message or a log line.
 */
import { z } from 'zod';
import { fetchToken, httpBaseOf } from '../../broker/tokenSources';

/** Outcome of asking a source for a token; `isFatal`: do not retry (bad credentials, expired `rt.` token). */
export type TokenResult =
  | { readonly ok: true; readonly token: string; readonly isReusable: boolean }
  | { readonly ok: false; readonly message: string; readonly isFatal: boolean };

/** A source of producer tokens for one user. */
export interface TokenSource {
  readonly kind: TokenSourceConfig['kind'];
  /** A token for the next connection attempt. */
  next(): Promise<TokenResult>;
  /** Plain-language risk of this setup to show in the UI, or null. */
  readonly warning: string | null;
}

/** Shown whenever developer credentials are used from the desktop. */
export const DEVELOPER_KEY_WARNING =
  'Your Terra API key is stored on this computer. Anyone with access to it can read and write data for all your users. Prefer a token URL on your own backend.';

/** Schema of a token source configuration (secrets included; store it with the secret store, never in settings). */
export const tokenSourceConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('tokenUrl'), url: z.url(), headers: z.record(z.string(), z.string()).optional() }),
  z.object({
    kind: z.literal('developer'),
    devId: z.string().min(1),
    apiKey: z.string().min(1),
    /** `https://ws.tryterra.co` for Terra; default: derived from the broker URL. */
    authBaseUrl: z.url().optional(),
  }),
  z.object({
    kind: z.literal('rt'),
    token: z.string().regex(/^rt\./, 'an rt. token starts with "rt."'),
    /** Expiry in epoch ms; absent = no known expiry. */
    expiresAtMs: z.number().optional(),
  }),
  z.object({ kind: z.literal('embedded') }),
]);

/** A token source configuration. */
export type TokenSourceConfig = z.infer<typeof tokenSourceConfigSchema>;

/** In-process minting for the embedded broker. */
export type EmbeddedMint = (userId: string) => Promise<{ ok: true; token: string } | { ok: false; message: string; isFatal: boolean }>;

/** Build a token source for `userId` on the broker at `brokerUrl`. */
export function createTokenSource(
  config: TokenSourceConfig,
  userId: string,
  brokerUrl: string,
  options: { readonly embeddedMint?: EmbeddedMint; readonly now?: () => number } = {},
): TokenSource {
  const now = options.now ?? Date.now;
  switch (config.kind) {
    case 'tokenUrl':
      return {
        kind: 'tokenUrl',
        warning: null,
        async next() {
          const r = await fetchToken(config.url, config.headers ?? {});
          return r.ok ? { ok: true, token: r.token, isReusable: false } : { ok: false, message: r.message, isFatal: r.isFatal };
        },
      };
    case 'developer': {
      const base = (config.authBaseUrl ?? httpBaseOf(brokerUrl)).replace(/\/+$/, '');
      const url = `${base}/auth/user?id=${encodeURIComponent(userId)}`;
      return {
        kind: 'developer',
        warning: DEVELOPER_KEY_WARNING,
        async next() {
          const r = await fetchToken(url, { 'dev-id': config.devId, 'x-api-key': config.apiKey });
          return r.ok ? { ok: true, token: r.token, isReusable: false } : { ok: false, message: r.message, isFatal: r.isFatal };
        },
      };
    }
    case 'rt':
      return {
        kind: 'rt',
        warning: null,
        async next() {
          if (config.expiresAtMs !== undefined && now() >= config.expiresAtMs) {
            return { ok: false, message: `the rt. token expired at ${new Date(config.expiresAtMs).toISOString()}; scan a new QR code from the Terra dashboard`, isFatal: true };
          }
          return { ok: true, token: config.token, isReusable: true };
        },
      };
    case 'embedded':
      return {
        kind: 'embedded',
        warning: null,
        async next() {
          if (!options.embeddedMint) return { ok: false, message: 'the embedded broker is not running', isFatal: false };
          const r = await options.embeddedMint(userId);
          return r.ok ? { ok: true, token: r.token, isReusable: false } : r;
        },
      };
  }
}

/** A token source config with its secrets replaced by `•••` (for the UI and logs). */
export function redactTokenSource(config: TokenSourceConfig): Record<string, unknown> {
  switch (config.kind) {
    case 'tokenUrl':
      return { kind: 'tokenUrl', url: config.url, hasHeaders: Boolean(config.headers && Object.keys(config.headers).length) };
    case 'developer':
      return { kind: 'developer', devId: config.devId, hasApiKey: true, authBaseUrl: config.authBaseUrl ?? null };
    case 'rt':
      return { kind: 'rt', hasToken: true, expiresAtMs: config.expiresAtMs ?? null };
    case 'embedded':
      return { kind: 'embedded' };
  }
}
