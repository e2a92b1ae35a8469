/**
 * Web mode: serves the built UI and the contract over a WebSocket (`/contract`), bound to
 * loopback unless told otherwise, and then only with an access token. Every WebSocket upgrade
 * is checked for its Origin (no other site may drive the host from a browser) and its token; on
 * loopback every request must also name a loopback Host (no DNS rebinding). Every handler is
 * total: a malformed request is a 4xx and a count, never an exception. A client that stops
 * reading is dropped once it holds too many unsent bytes (docs/security.md "Web mode").
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Host } from '../host';
import { isLoopbackHostname } from '../../shared/loopback';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/** Options of the web server. */
export interface WebServerOptions {
  readonly host: string;
  readonly port: number;
  /** Built UI folder; null = headless (contract only). */
  readonly uiDir: string | null;
  /** Access token; required when `host` is not loopback. */
  readonly token: string | null;
  /** Most contract connections at once (default {@link MAX_CONTRACT_CONNECTIONS}). */
  readonly maxConnections?: number;
  /** Unsent bytes a contract client may hold before it is dropped (default {@link MAX_CLIENT_BUFFERED_BYTES}). */
  readonly maxBufferedBytes?: number;
}

/** Most contract connections at once: a few windows and tabs, far below what exhausts the host. */
const MAX_CONTRACT_CONNECTIONS = 32;
/** Unsent bytes per contract client (a stalled tab): ~2 s of 200 devices at 50 Hz. */
const MAX_CLIENT_BUFFERED_BYTES = 16 * 1024 * 1024;
/** Close code and reason given to a client that stopped reading. */
const SLOW_CLIENT_CLOSE = { code: 1008, reason: 'client too slow: unread events exceeded the limit' } as const;

/** What the server refused or dropped, for logs and tests. */
export interface WebServerStats {
  /** Requests answered 400 (malformed path or Host). */
  badRequests: number;
  /** Requests refused 403 (foreign Host/Origin, wrong token). */
  forbidden: number;
  /** Upgrades refused because the connection cap was reached. */
  refusedConnections: number;
  /** Clients closed because they stopped reading. */
  slowClientsDropped: number;
  /** Request handlers that failed unexpectedly (answered 500). */
  handlerFailures: number;
}

/** A running web server. */
export interface WebServer {
  readonly url: string;
  readonly port: number;
  /** Refusals and drops so far. */
  readonly stats: Readonly<WebServerStats>;
  /** Open contract connections. */
  readonly connectionCount: number;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** Start serving. Rejects with a readable error if the port is taken. */
export async function startWebServer(host: Host, options: WebServerOptions): Promise<WebServer> {
  if (!isLoopbackHostname(options.host) && !options.token) {
    throw new Error(`Binding to ${options.host} exposes the app to the network; an access token is required (--token).`);
  }
  const stats: WebServerStats = { badRequests: 0, forbidden: 0, refusedConnections: 0, slowClientsDropped: 0, handlerFailures: 0 };
  const maxConnections = options.maxConnections ?? MAX_CONTRACT_CONNECTIONS;
  const limits = { maxBufferedBytes: options.maxBufferedBytes ?? MAX_CLIENT_BUFFERED_BYTES, stats };
  let servedPort = options.port;
  const server = createServer((req, res) => {
    try {
      const refusal = checkHost(req, servedPort, options);
      if (refusal !== 0) {
        refuse(res, refusal, stats);
        return;
      }
      serveStatic(req, res, options, stats);
    } catch (err) {
      // serveStatic is total by construction; this is the last line, never a crash of the host
      stats.handlerFailures += 1;
      console.error(`web server: request ${String(req.url).slice(0, 200)} failed: ${(err as Error).message}`);
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end();
    }
  });
  server.on('clientError', (_err, socket) => {
    stats.badRequests += 1;
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    socket.on('error', () => socket.destroy());
    let refusal: number;
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      refusal = url.pathname !== '/contract' ? 404 : (checkHost(req, servedPort, options) || checkAccess(req, url, servedPort, options));
    } catch {
      refusal = 400;
    }
    if (refusal === 0 && wss.clients.size >= maxConnections) {
      stats.refusedConnections += 1;
      refusal = 503;
    }
    if (refusal !== 0) {
      if (refusal === 400) stats.badRequests += 1;
      if (refusal === 403) stats.forbidden += 1;
      socket.write(`HTTP/1.1 ${refusal} ${STATUS_TEXT[refusal] ?? 'Refused'}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(host, ws, limits));
  });

  await new Promise<void>((resolvePromise, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'EADDRINUSE'
          ? new Error(`Port ${options.port} on ${options.host} is already in use; pass --port <another> (or 0).`)
          : err,
      ),
    );
    server.listen(options.port, options.host, () => resolvePromise());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  servedPort = port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const tokenPart = options.token ? `/?token=${encodeURIComponent(options.token)}` : '/';
  return {
    url: `http://${shownHost}:${port}${tokenPart}`,
    port,
    stats,
    get connectionCount() {
      return wss.clients.size;
    },
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolvePromise());
        server.closeAllConnections?.();
      }),
  };
}

const STATUS_TEXT: Record<number, string> = { 400: 'Bad Request', 403: 'Forbidden', 404: 'Not Found', 503: 'Service Unavailable' };

function attach(host: Host, ws: WebSocket, limits: { maxBufferedBytes: number; stats: WebServerStats }): void {
  let isDropped = false;
  const connection = host.connect((message) => {
    if (isDropped || ws.readyState !== ws.OPEN) return;
    if (ws.bufferedAmount > limits.maxBufferedBytes) {
      // the client stopped reading: drop it rather than hold an ever-growing queue in the host
      isDropped = true;
      limits.stats.slowClientsDropped += 1;
      connection.close();
      ws.close(SLOW_CLIENT_CLOSE.code, SLOW_CLIENT_CLOSE.reason);
      // a client that does not read will not read the close frame either
      setTimeout(() => ws.terminate(), 5000).unref();
      return;
    }
    ws.send(JSON.stringify(message));
  });
  ws.on('message', (data, isBinary) => {
    if (isBinary) return;
    let raw: unknown;
    try {
      raw = JSON.parse(data.toString());
    } catch {
      raw = null; // dispatchCall answers malformed input with CONTRACT_BAD_MESSAGE
    }
    void connection.receive(raw);
  });
  ws.on('close', () => connection.close());
  ws.on('error', () => connection.close());
}

/** The Host names this server answers to: on loopback only loopback names with the served port. */
function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
}

/** 0 when the Host header is acceptable, else the HTTP status to refuse with. */
function checkHost(req: IncomingMessage, port: number, options: WebServerOptions): number {
  if (!isLoopbackHostname(options.host)) return 0; // beyond loopback the token rule protects the contract
  const hostHeader = (req.headers.host ?? '').toLowerCase();
  if (hostHeader === '') return 400;
  return allowedHosts(port).includes(hostHeader) ? 0 : 403;
}

/** 0 when allowed, else the HTTP status to refuse with. */
function checkAccess(req: IncomingMessage, url: URL, port: number, options: WebServerOptions): number {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    // Browsers always send Origin on WebSocket upgrades: it must be this server.
    const own = isLoopbackHostname(options.host) ? allowedHosts(port).map((h) => `http://${h}`) : [`http://${req.headers.host ?? ''}`];
    if (!own.includes(origin.toLowerCase())) return 403;
  }
  if (options.token && !tokensEqual(url.searchParams.get('token') ?? '', options.token)) return 403;
  return 0;
}

function refuse(res: ServerResponse, status: number, stats: WebServerStats): void {
  if (status === 400) stats.badRequests += 1;
  if (status === 403) stats.forbidden += 1;
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
  res.end(status === 403 ? 'This address is not served here.\n' : 'Bad request.\n');
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, options: WebServerOptions, stats: WebServerStats): void {
  const securityHeaders = {
    'Content-Security-Policy': CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
  };
  if (!options.uiDir) {
    res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
    res.end('Sensor Relay is running headless: no UI is served. The contract is at /contract.\n');
    return;
  }
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, securityHeaders).end();
    return;
  }
  const root = resolve(options.uiDir);
  const requested = decodedPath(req.url ?? '/');
  if (requested === null) {
    refuse(res, 400, stats);
    return;
  }
  let path = normalize(join(root, requested));
  if (path !== root && !path.startsWith(root + sep)) {
    res.writeHead(403, securityHeaders).end();
    return;
  }
  if (!existsSync(path) || statSync(path).isDirectory()) path = join(root, 'index.html');
  if (!existsSync(path)) {
    res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
    res.end('The UI is not built. Run `npm run web`, which builds it first.\n');
    return;
  }
  res.writeHead(200, {
    'Content-Type': MIME[extname(path)] ?? 'application/octet-stream',
    'Cache-Control': path.endsWith('index.html') ? 'no-cache' : 'max-age=3600',
    ...securityHeaders,
  });
  if (req.method === 'HEAD') {
    res.end();
    return;
  }
  const stream = createReadStream(path);
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}

/** The request path, percent-decoded; null when it is malformed (bad escape, NUL byte). */
function decodedPath(rawUrl: string): string | null {
  let pathname: string;
  try {
    pathname = decodeURIComponent(new URL(rawUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  return pathname.includes('\0') ? null : pathname;
}
