/**
 * HTTP side of the local broker: the token endpoints of docs/broker-protocol.md §1–§2
 * (`POST /auth/user?id=`, `POST /auth/developer`, credentials as `dev-id` + `x-api-key` or Basic,
 * 400/403/405, JSON error bodies) and a small admin API guarded by the same developer credentials.
 */
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { BrokerConfig, DeveloperConfig } from './config';

/** What the HTTP layer needs from the broker. */
export interface HttpHost {
  readonly config: BrokerConfig;
  mintUserToken(devId: string, userId: string): string;
  mintDeveloperToken(devId: string): string;
  statusOf(devId: string, userId: string): unknown;
  stats(): unknown;
  injectSynthetic(devId: string, userId: string, t: string, d: Record<string, unknown>): number;
}

type Credentials = { readonly devId: string; readonly apiKey: string };

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  // Connection: close — tokens are minted once per connection attempt, and a pooled socket to a
  // broker that was killed and restarted would fail the next request.
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text), Connection: 'close', ...headers });
  res.end(text);
}

function sendError(res: ServerResponse, status: number, error: string, message: string, headers?: Record<string, string>): void {
  sendJson(res, status, { error, message }, headers);
}

/** Read credentials from `dev-id` + `x-api-key`, or `Authorization: Basic`; null when absent or malformed. */
export function readCredentials(req: IncomingMessage): Credentials | null {
  const devId = req.headers['dev-id'];
  const apiKey = req.headers['x-api-key'];
  if (typeof devId === 'string' && devId && typeof apiKey === 'string' && apiKey) return { devId, apiKey };
  const auth = req.headers.authorization;
  if (typeof auth !== 'string') return null;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(auth);
  if (!m) return null;
  const decoded = Buffer.from(m[1]!, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) return null;
  return { devId: decoded.slice(0, colon), apiKey: decoded.slice(colon + 1) };
}

function sameSecret(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function authenticate(config: BrokerConfig, creds: Credentials): DeveloperConfig | null {
  const dev = config.developers.find((d) => d.devId === creds.devId);
  return dev && sameSecret(dev.apiKey, creds.apiKey) ? dev : null;
}

const syntheticBody = z.object({ t: z.string().min(1), d: z.record(z.string(), z.unknown()) });

/** Largest body of a token request (they carry none; the credentials are headers). */
export const MAX_AUTH_BODY_BYTES = 1024;
/** Largest body of `/admin/synthetic`. */
export const MAX_ADMIN_BODY_BYTES = 64 * 1024;

/** Read a body up to `limitBytes`; beyond it, stop reading at once and resolve 'too-big' (never buffer more). */
function readBody(req: IncomingMessage, limitBytes: number): Promise<string | 'too-big' | null> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.resolve('too-big');
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (c: Buffer): void => {
      size += c.length;
      if (size > limitBytes) {
        req.removeListener('data', onData);
        req.pause();
        resolve('too-big');
        return;
      }
      chunks.push(c);
    };
    req.on('data', onData);
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
}

/** Handle one HTTP request (everything except the `/connect` upgrade). */
export async function handleHttp(host: HttpHost, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://broker.local');
  const path = url.pathname;
  const isToken = path === '/auth/user' || path === '/auth/developer';
  const isAdmin = path === '/admin/status' || path === '/admin/stats' || path === '/admin/synthetic';
  if (path === '/connect') {
    req.resume();
    sendError(res, 426, 'upgrade_required', '/connect is a WebSocket endpoint: open it with a WebSocket client', { Upgrade: 'websocket' });
    return;
  }
  if (!isToken && !isAdmin) {
    req.resume();
    sendError(res, 404, 'not_found', `no endpoint ${path}; WebSocket clients connect to /connect`);
    return;
  }
  const method = path === '/admin/synthetic' || isToken ? 'POST' : 'GET';
  if (req.method !== method) {
    req.resume();
    sendError(res, 405, 'method_not_allowed', `${path} accepts ${method} only`, { Allow: method });
    return;
  }
  const body = method === 'POST' ? await readBody(req, isToken ? MAX_AUTH_BODY_BYTES : MAX_ADMIN_BODY_BYTES) : (req.resume(), '');
  if (body === 'too-big') {
    sendError(res, 413, 'body_too_large', `${path} accepts a body of at most ${isToken ? MAX_AUTH_BODY_BYTES : MAX_ADMIN_BODY_BYTES} bytes`);
    return;
  }
  const creds = readCredentials(req);
  if (!creds) {
    sendError(res, 400, 'missing_credentials', 'send dev-id and x-api-key headers, or Authorization: Basic base64(dev-id:api-key)');
    return;
  }
  const userId = url.searchParams.get(path === '/auth/user' ? 'id' : 'user');
  if ((path === '/auth/user' || path === '/admin/status' || path === '/admin/synthetic') && !userId) {
    sendError(res, 400, 'missing_id', path === '/auth/user' ? 'query parameter id (the user id) is required' : 'query parameter user is required');
    return;
  }
  const dev = authenticate(host.config, creds);
  if (!dev) {
    sendError(res, 403, 'bad_credentials', 'unknown dev-id or wrong API key');
    return;
  }
  if (userId && !dev.users.includes(userId) && !dev.acceptAnyUser) {
    sendError(res, 403, 'unknown_user', `user ${userId} does not belong to developer ${dev.devId}`);
    return;
  }
  try {
    if (path === '/auth/user') sendJson(res, 200, { token: host.mintUserToken(dev.devId, userId!) });
    else if (path === '/auth/developer') sendJson(res, 200, { token: host.mintDeveloperToken(dev.devId) });
    else if (path === '/admin/status') sendJson(res, 200, { userId, status: host.statusOf(dev.devId, userId!) });
    else if (path === '/admin/stats') sendJson(res, 200, host.stats());
    else {
      let parsed: unknown = undefined;
      try {
        parsed = body ? JSON.parse(body) : undefined;
      } catch (err) {
        sendError(res, 400, 'bad_body', `body is not JSON: ${(err as Error).message}`);
        return;
      }
      const input = syntheticBody.safeParse(parsed);
      if (!input.success) {
        sendError(res, 400, 'bad_body', 'body must be {"t": string, "d": object}');
        return;
      }
      sendJson(res, 200, { seq: host.injectSynthetic(dev.devId, userId!, input.data.t, input.data.d) });
    }
  } catch (err) {
    sendError(res, 500, 'internal', (err as Error).message);
  }
}
