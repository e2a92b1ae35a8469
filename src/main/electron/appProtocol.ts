/**
 * The app's own privileged scheme (docs/packaging.md "Locked-down runtime"): the UI is served
 * from `app://sensor-relay/…` instead of `file://`, so the page has a real origin of its own
 * (permissions, CSP and IPC checks compare against it) and `file://` keeps no special powers
 * (the GrantFileProtocolExtraPrivileges fuse is off). The handler serves files of the renderer
 * build only: {@link resolveAppPath} is a pure path function, and {@link createAppFileHandler}
 * also refuses symlinks that lead out of the build.
 */
import type { CustomScheme, Protocol } from 'electron';
import { readFile, realpath } from 'node:fs/promises';
import { extname, isAbsolute, join, relative, sep } from 'node:path';
import { CONTENT_SECURITY_POLICY } from '../../shared/csp';
import { fail, ok, type Result } from '../../shared/errors';

/** The scheme of the app UI. */
export const APP_SCHEME = 'app';
/** The host part: `app://sensor-relay/`. */
export const APP_HOST = 'sensor-relay';
/** The URL of the UI's page. */
export const APP_URL = `${APP_SCHEME}://${APP_HOST}/index.html`;

/**
 * How the scheme is registered before the app is ready: a standard, secure scheme (a real
 * origin and a secure context, which Web Bluetooth requires) with fetch and code cache; it does
 * not bypass CSP and is not CORS-enabled for other origins.
 */
export const APP_SCHEME_PRIVILEGES: CustomScheme = {
  scheme: APP_SCHEME,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

/** Content types of the files a Vite build produces. */
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.wasm': 'application/wasm',
};

/** The content type served for `path` (`application/octet-stream` when unknown). */
export function contentTypeOf(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * The file under `rootDir` that `requestUrl` names, or an error. Only `app://sensor-relay/`
 * URLs; `/` is index.html; query and fragment are ignored. Refused: any `.`/`..` segment (also
 * percent-encoded), encoded slashes, backslashes, NUL, drive letters, bad escapes — anything
 * that could name a file outside `rootDir`. Pure: touches no file.
 */
export function resolveAppPath(rootDir: string, requestUrl: string): Result<string> {
  const refused = (why: string): Result<string> => fail('APP_PROTOCOL_REFUSED', `Refused ${requestUrl}: ${why}.`);
  // the raw path, before any URL normalisation could hide a traversal
  const m = /^app:\/\/([^/?#]*)(\/[^?#]*)?(?:[?#].*)?$/i.exec(requestUrl);
  if (!m) return refused('not an app:// URL');
  if (m[1]!.toLowerCase() !== APP_HOST) return refused('unknown host');
  const rawPath = m[2] ?? '/';
  if (rawPath.includes('\\')) return refused('backslash in path');
  const segments: string[] = [];
  for (const raw of rawPath.split('/').slice(1)) {
    let segment: string;
    try {
      segment = decodeURIComponent(raw);
    } catch {
      return refused('bad percent-encoding');
    }
    if (segment === '.' || segment === '..') return refused('dot segment');
    if (/[/\\\0]/.test(segment)) return refused('encoded separator or NUL');
    if (/^[a-z]:/i.test(segment)) return refused('drive letter');
    segments.push(segment);
  }
  const last = segments.length ? segments[segments.length - 1] : '';
  if (last === '') segments.splice(segments.length - 1, 1, 'index.html');
  if (segments.some((s) => s === '')) return refused('empty segment');
  const file = join(rootDir, ...segments);
  const rel = relative(rootDir, file);
  if (rel === '' || rel.startsWith(`..${sep}`) || rel === '..' || isAbsolute(rel)) return refused('outside the app');
  return ok(file);
}

/** File system reads the handler needs (injected in tests). */
export interface AppFileSystem {
  realpath(path: string): Promise<string>;
  readFile(path: string): Promise<Uint8Array>;
}

const nodeFs: AppFileSystem = { realpath: (p) => realpath(p), readFile: (p) => readFile(p) };

function textResponse(status: number, text: string): Response {
  return new Response(text, { status, headers: { 'content-type': 'text/plain; charset=utf-8', 'x-content-type-options': 'nosniff' } });
}

/**
 * The `protocol.handle` handler serving `rootDir` (the renderer build): GET/HEAD only, files
 * inside the build only — a symlink whose target is outside is refused like `..` — with the CSP
 * and `nosniff` on every response. Total: every failure is a 4xx response and a log line.
 */
export function createAppFileHandler(rootDir: string, fs: AppFileSystem = nodeFs, log: (line: string) => void = console.warn): (request: Request) => Promise<Response> {
  let realRoot: Promise<string> | null = null;
  return async (request) => {
    if (request.method !== 'GET' && request.method !== 'HEAD') return textResponse(405, 'Method not allowed');
    const resolved = resolveAppPath(rootDir, request.url);
    if (!resolved.ok) {
      log(`[app protocol] ${resolved.code}: ${resolved.message}`);
      return textResponse(404, 'Not found');
    }
    try {
      realRoot ??= fs.realpath(rootDir);
      const [root, real] = await Promise.all([realRoot, fs.realpath(resolved.value)]);
      const rel = relative(root, real);
      if (rel === '' || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
        log(`[app protocol] APP_PROTOCOL_REFUSED: ${request.url} leads outside the app (${real})`);
        return textResponse(404, 'Not found');
      }
      const body = request.method === 'HEAD' ? null : await fs.readFile(real);
      return new Response(body as ConstructorParameters<typeof Response>[0], {
        status: 200,
        headers: {
          'content-type': contentTypeOf(real),
          'content-security-policy': CONTENT_SECURITY_POLICY,
          'x-content-type-options': 'nosniff',
          'cache-control': 'no-cache',
        },
      });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR' && code !== 'EISDIR') log(`[app protocol] ${request.url}: ${(err as Error).message}`);
      return textResponse(404, 'Not found');
    }
  };
}

/** Serve the renderer build on the app scheme of a session's protocol. */
export function installAppProtocol(protocol: Pick<Protocol, 'handle'>, rootDir: string): void {
  protocol.handle(APP_SCHEME, createAppFileHandler(rootDir));
}

/**
 * The URL the windows load: the dev server named by `ELECTRON_RENDERER_URL` only in development
 * (`!app.isPackaged`) and only when it is an http(s) URL; the app scheme otherwise. A packaged
 * app ignores the variable, so nobody can point an installed app at other content.
 */
export function rendererUrl(isPackaged: boolean, devServerUrl: string | undefined): string {
  if (isPackaged || !devServerUrl) return APP_URL;
  try {
    const u = new URL(devServerUrl);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : APP_URL;
  } catch {
    return APP_URL;
  }
}
