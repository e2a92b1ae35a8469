/**
 * Token sources of the producer (docs/broker-protocol.md §2.3, §2.4): one fresh token per connection
 * attempt from the embedded broker (in-process), a token URL on the customer's backend (the
 * recommended setup), Terra developer credentials used directly (an API key on a desktop is a
 * risk), or a reusable `rt.` token. Secrets come from the {@link SecretStore}, never from settings.
 */
import { fail, ok, type Result } from '../../shared/errors';
import type { TokenSourceConfig } from '../../shared/contract/broker';
import { isRtToken, parseRtExpiry, type TokenSource } from '../../shared/terra';
import { httpBaseOf, tokenUrlSource, userTokenSource } from '../../client/tokenSources';
import { readSecret, SECRET_NAMES, type SecretStore } from './secrets';

/** A token source ready for one user's uplink (an `rt.` source marks its outcomes reusable, with the expiry). */
export interface UserTokens {
  readonly source: TokenSource;
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

/** Build the token source of one user's uplink. */
export function buildTokenSource(config: TokenSourceConfig, ctx: TokenContext): Result<UserTokens> {
  switch (config.kind) {
    case 'embedded':
      if (!ctx.embedded) return fail('BROKER_BAD_CONFIG', 'the embedded broker is not running, so it cannot mint tokens; choose a token URL, developer credentials or an rt. token for an external broker');
      return ok({ source: ctx.embedded(ctx.userId) });
    case 'tokenUrl':
      return ok({ source: tokenUrlSource(tokenUrlFor(config.url, ctx.userId)) });
    case 'developer': {
      const apiKey = readSecret(ctx.secrets, SECRET_NAMES.apiKey);
      if (!apiKey.value) return fail('BROKER_TOKEN_FAILED', apiKey.problem ?? 'developer credentials are selected but no API key is stored; enter it in the broker settings');
      const base = config.authBase ?? httpBaseOf(ctx.brokerUrl);
      return ok({ source: userTokenSource(base, config.devId, apiKey.value, ctx.userId) });
    }
    case 'rt': {
      const stored = readSecret(ctx.secrets, SECRET_NAMES.rtToken);
      const token = stored.value;
      if (!token || !isRtToken(token)) return fail('BROKER_TOKEN_FAILED', stored.problem ?? 'an rt. token is selected but none is stored; paste the token from the dashboard QR code in the broker settings');
      const expiry = parseRtExpiry(config.expiresAt);
      if (!expiry.ok) return expiry;
      // the expiry travels with every outcome: the client core refuses to present an expired token (docs/broker-protocol.md §5a)
      const outcome = { ok: true as const, token, isReusable: true, ...(expiry.value !== null ? { expiresAtMs: expiry.value } : {}) };
      return ok({ source: async () => outcome });
    }
  }
}
