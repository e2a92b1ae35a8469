/**
 * Web mode: serves the built UI and the contract over a WebSocket (`/contract`), bound to
 * loopback unless told otherwise, and then only with an access token. Every WebSocket upgrade
 * is checked for its Origin (no other site may drive the host from a browser) and its token.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { timingSafeEqual } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Host } from '../host';
import { isLoopback } from '../cli';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';

/** Options of the web server. */
export interface WebServerOptions {
  readonly host: string;
  readonly port: number;
  /** Built UI folder; null = headless (contract only). */
  readonly uiDir: string | null;
  /** Access token; required when `host` is not loopback. */
  readonly token: string | null;
}

/** A running web server. */
export interface WebServer {
  readonly url: string;
  readonly port: number;
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
  if (!isLoopback(options.host) && !options.token) {
    throw new Error(`Binding to ${options.host} exposes the app to the network; an access token is required (--token).`);
  }
  const server = createServer((req, res) => serveStatic(req, res, options));
  const wss = new WebSocketServer({ noServer: true, maxPayload: 8 * 1024 * 1024 });

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const refusal = url.pathname !== '/contract' ? 404 : checkAccess(req, url, options);
    if (refusal !== 0) {
      socket.write(`HTTP/1.1 ${refusal} ${refusal === 404 ? 'Not Found' : 'Forbidden'}\r\nConnection: close\r\n\r\n`);
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => attach(host, ws));
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
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;
  const tokenPart = options.token ? `/?token=${encodeURIComponent(options.token)}` : '/';
  return {
    url: `http://${shownHost}:${port}${tokenPart}`,
    port,
    close: () =>
      new Promise<void>((resolvePromise) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolvePromise());
        server.closeAllConnections?.();
      }),
  };
}

function attach(host: Host, ws: WebSocket): void {
  const connection = host.connect((message) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
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

/** 0 when allowed, else the HTTP status to refuse with. */
function checkAccess(req: IncomingMessage, url: URL, options: WebServerOptions): number {
  const origin = req.headers.origin;
  if (origin !== undefined) {
    // Browsers always send Origin on WebSocket upgrades: it must be this server.
    const hostHeader = req.headers.host ?? '';
    if (origin !== `http://${hostHeader}`) return 403;
  }
  if (options.token && !tokensEqual(url.searchParams.get('token') ?? '', options.token)) return 403;
  return 0;
}

function tokensEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && timingSafeEqual(ab, bb);
}

function serveStatic(req: IncomingMessage, res: ServerResponse, options: WebServerOptions): void {
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
  const url = new URL(req.url ?? '/', 'http://localhost');
  const root = resolve(options.uiDir);
  let path = normalize(join(root, decodeURIComponent(url.pathname)));
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
  if (req.method === 'HEAD') res.end();
  else createReadStream(path).pipe(res);
}
