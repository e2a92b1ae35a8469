/**
 * Where a Terra client (producer or consumer) gets a fresh token before every connection attempt
 * over HTTP (docs/broker-protocol.md §2): a token URL on the customer's backend returning
 * `{"token": ...}`, or developer credentials used directly against `/auth/developer` (consumer) or
 * `/auth/user?id=` (producer). The token types and the `rt.` rules are in src/shared/terra/tokens.ts.
 */
import { z } from 'zod';
import type { TokenOutcome, TokenSource } from '../shared/terra/tokens';

export type { TokenOutcome, TokenSource } from '../shared/terra/tokens';

const tokenBody = z.object({ token: z.string().min(1) });

/** `ws://host:port/connect` → `http://host:port` (`wss` → `https`). */
export function httpBaseOf(wsUrl: string): string {
  const u = new URL(wsUrl);
  const protocol = u.protocol === 'wss:' ? 'https:' : 'http:';
  return `${protocol}//${u.host}`;
}

/** POST `url` (empty body, optional headers) and read `{"token": ...}`; 4xx is fatal, 5xx and network errors are retryable. */
export async function fetchToken(url: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<TokenOutcome> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers: { Accept: 'application/json', ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    return { ok: false, message: `token request to ${url} failed: ${(err as Error).message}`, isFatal: false };
  }
  const text = await res.text().catch((err: Error) => `(body unreadable: ${err.message})`);
  if (res.status !== 200) {
    const hint = res.status === 403 ? ' (wrong dev-id/API key, or the user does not belong to this developer)' : res.status === 400 ? ' (missing credentials or user id)' : '';
    return { ok: false, message: `token endpoint ${url} answered ${res.status}${hint}: ${text.slice(0, 200)}`, isFatal: res.status >= 400 && res.status < 500 };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    return { ok: false, message: `token endpoint ${url} did not return JSON: ${(err as Error).message}`, isFatal: true };
  }
  const body = tokenBody.safeParse(json);
  return body.success ? { ok: true, token: body.data.token } : { ok: false, message: `token endpoint ${url} returned no "token" string`, isFatal: true };
}

/** A token URL on your own backend (the recommended setup): POST, answer `{"token": ...}`. */
export function tokenUrlSource(url: string, headers: Record<string, string> = {}): TokenSource {
  return () => fetchToken(url, headers);
}

/** Developer credentials against `POST /auth/developer` (consumer tokens). */
export function developerTokenSource(httpBase: string, devId: string, apiKey: string): TokenSource {
  return () => fetchToken(`${httpBase}/auth/developer`, { 'dev-id': devId, 'x-api-key': apiKey });
}

/** Developer credentials against `POST /auth/user?id=` (producer tokens for one user). */
export function userTokenSource(httpBase: string, devId: string, apiKey: string, userId: string): TokenSource {
  return () => fetchToken(`${httpBase}/auth/user?id=${encodeURIComponent(userId)}`, { 'dev-id': devId, 'x-api-key': apiKey });
}
