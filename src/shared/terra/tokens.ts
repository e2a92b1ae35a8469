/**
 * What a Terra client needs to know about its tokens (docs/broker-protocol.md §2): a fresh token per
 * connection attempt, except the reusable `rt.` token, which carries an expiry. The expiry of an
 * `rt.` token is parsed here and nowhere else (the app's settings and the broker's config both use
 * {@link parseRtExpiry}).
 */
import { fail, ok, type Result } from '../errors';

/**
 * Outcome of fetching a token for one connection attempt. `isFatal` (bad credentials, unknown user)
 * means: do not retry. `isReusable`: the same string is presented again on every attempt (an `rt.`
 * token), so a refusal is not cured by asking again; `expiresAtMs`: after this epoch ms it is refused.
 */
export type TokenOutcome =
  | { readonly ok: true; readonly token: string; readonly isReusable?: boolean; readonly expiresAtMs?: number }
  | { readonly ok: false; readonly message: string; readonly isFatal: boolean };

/** Produces a token for one connection attempt (a fresh one, unless the token is reusable). */
export type TokenSource = () => Promise<TokenOutcome>;

/** Prefix of the reusable producer token delivered by the dashboard QR code (§2.4). */
export const RT_TOKEN_PREFIX = 'rt.';

/** Whether `token` is a reusable `rt.` token. */
export function isRtToken(token: string): boolean {
  return token.startsWith(RT_TOKEN_PREFIX) && token.length > RT_TOKEN_PREFIX.length;
}

/**
 * The expiry of an `rt.` token as epoch ms: `expires_at` is an epoch-ms number or an ISO date-time
 * string; absent means "no expiry known" (null). Anything else is BROKER_BAD_CONFIG, never a guess.
 */
export function parseRtExpiry(expiresAt: number | string | undefined | null): Result<number | null> {
  if (expiresAt === undefined || expiresAt === null) return ok(null);
  if (typeof expiresAt === 'number') {
    return Number.isFinite(expiresAt) && expiresAt > 0 ? ok(expiresAt) : fail('BROKER_BAD_CONFIG', `the rt. token expiry ${expiresAt} is not a time (epoch milliseconds expected)`);
  }
  const ms = Date.parse(expiresAt);
  return Number.isFinite(ms) ? ok(ms) : fail('BROKER_BAD_CONFIG', `the rt. token expiry "${expiresAt.slice(0, 64)}" is not a date (ISO 8601 or epoch milliseconds expected)`);
}

/** Whether a token with this expiry is past it at `nowMs` (a token without expiry never is). */
export function isTokenExpired(expiresAtMs: number | undefined | null, nowMs: number): boolean {
  return expiresAtMs !== undefined && expiresAtMs !== null && nowMs >= expiresAtMs;
}
