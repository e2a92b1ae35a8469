/**
 * Token sources of the producer (docs/broker-protocol.md §2.3, §2.4): one fresh token per connection
 * attempt from the embedded broker (in-process), a token URL on the customer's backend (the
 * recommended setup), Terra developer credentials used directly (an API key on a desktop is a
 * risk), or a reusable `rt.` token. Secrets come from the {@link SecretStore}, never from settings.
 */
import { fail, ok, type Result } from '../../shared/errors';
import type { TokenSourceConfig } from '../../shared/contract/broker';
import { httpBaseOf, tokenUrlSource, userTokenSource, type TokenSource } from '../../broker/tokenSources';
import { readSecret, SECRET_NAMES, type SecretStore } from './secrets';

/** A token source ready for one user's uplink. */
export interface UserTokens {
  readonly source: TokenSource;
  readonly isRtToken: boolean;
  readonly rtExpiresAtMs?: number;
}

/** What building a token source needs. */
export interface TokenContext {
  readonly userId: string;
  /** The broker's WebSocket URL (for the developer source's default auth base). */
  readonly brokerUrl: string;
  readonly secrets: SecretStore;
  /** The embedded broker's in-process minting, when it runs. */
  readonly embedded: ((userId: string) => TokenSource) | null;
}

/** The token URL for one user: `{userId}` in the URL is replaced, otherwise `id=<user>` is added to the query. */
export function tokenUrlFor(url: string, userId: string): string {
  if (url.includes('{userId}')) return url.split('{userId}').join(encodeURIComponent(userId));
  const u = new URL(url);
  u.searchParams.set('id', userId);
  return u.toString();
}

/** Parse an `rt.` token's expiry (epoch ms number or ISO string) to epoch ms. */
export function rtExpiryMs(expiresAt: number | string | undefined): number | undefined {
  if (expiresAt === undefined) return undefined;
  const ms = typeof expiresAt === 'number' ? expiresAt : Date.parse(expiresAt);
  return Number.isFinite(ms) ? ms : undefined;
}

/** Build the token source of one user's uplink. */
export function buildTokenSource(config: TokenSourceConfig, ctx: TokenContext): Result<UserTokens> {
  switch (config.kind) {
    case 'embedded':
      if (!ctx.embedded) return fail('BROKER_BAD_CONFIG', 'the embedded broker is not running, so it cannot mint tokens; choose a token URL, developer credentials or an rt. token for an external broker');
      return ok({ source: ctx.embedded(ctx.userId), isRtToken: false });
    case 'tokenUrl':
      return ok({ source: tokenUrlSource(tokenUrlFor(config.url, ctx.userId)), isRtToken: false });
    case 'developer': {
      const apiKey = readSecret(ctx.secrets, SECRET_NAMES.apiKey);
      if (!apiKey.value) return fail('BROKER_TOKEN_FAILED', apiKey.problem ?? 'developer credentials are selected but no API key is stored; enter it in the broker settings');
      const base = config.authBase ?? httpBaseOf(ctx.brokerUrl);
      return ok({ source: userTokenSource(base, config.devId, apiKey.value, ctx.userId), isRtToken: false });
    }
    case 'rt': {
      const stored = readSecret(ctx.secrets, SECRET_NAMES.rtToken);
      const token = stored.value;
      if (!token || !token.startsWith('rt.')) return fail('BROKER_TOKEN_FAILED', stored.problem ?? 'an rt. token is selected but none is stored; paste the token from the dashboard QR code in the broker settings');
      const expiresAtMs = rtExpiryMs(config.expiresAt);
      if (expiresAtMs !== undefined && Date.now() >= expiresAtMs) {
        return fail('BROKER_TOKEN_FAILED', 'the stored rt. token has expired; scan a new QR code in the dashboard');
      }
      return ok({ source: async () => ({ ok: true, token }), isRtToken: true, ...(expiresAtMs !== undefined ? { rtExpiresAtMs: expiresAtMs } : {}) });
    }
  }
}
