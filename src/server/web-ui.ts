/**
 * @module server/web-ui
 * Serves the browser UI's production build (web/dist) under `/`. It is wired as the app's not-found
 * handler, not as a route: the API owns every path it declares, the UI answers only what is left,
 * and the declared routes (and so the OpenAPI document) stay the API alone. Paths the API reserves
 * (`/v1/*`, health, the document, metrics) keep the JSON 404. Files are read once into memory
 * (the build is a few hundred kilobytes) and gzipped once, so a request never touches the disk.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Context } from 'hono';

/** The build the server serves by default: the repository's web/dist. */
export const DEFAULT_WEB_ROOT = path.resolve(import.meta.dirname, '../../web/dist');

/** Paths the UI must never answer, even when the API has no route for them (a JSON 404 instead). */
const API_PATHS = new Set(['/v1', '/healthz', '/readyz', '/openapi.json', '/metrics']);

const MEDIA_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};

/** Same-origin only: the UI talks to this server's API and nothing else. */
const CONTENT_SECURITY_POLICY =
  "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; connect-src 'self'; " +
  "frame-ancestors 'none'; base-uri 'self'; form-action 'self'";

interface StaticFile {
  readonly body: Uint8Array;
  readonly gzip: Uint8Array | null;
  readonly type: string;
  readonly etag: string;
  /** Vite puts content-hashed names under assets/: those never change, so caches keep them. */
  readonly immutable: boolean;
}

/** True when `pathname` belongs to the API, so the UI must not answer it. */
export function isApiPath(pathname: string): boolean {
  return API_PATHS.has(pathname) || pathname.startsWith('/v1/') || pathname.startsWith('/metrics/');
}

/**
 * Builds the not-found handler: API paths get `apiNotFound`, other GET/HEAD requests a file of the
 * build or, for paths that do not name an asset type (client-side routes), index.html.
 */
export function webUiHandler(
  root: string | null,
  apiNotFound: (context: Context) => Response | Promise<Response>,
) {
  let files: Map<string, StaticFile> | null = null;
  return (context: Context): Response | Promise<Response> => {
    const pathname = context.req.path;
    const method = context.req.method;
    if (isApiPath(pathname) || (method !== 'GET' && method !== 'HEAD')) return apiNotFound(context);
    files ??= root ? loadBuild(root) : new Map();
    const index = files.get('/index.html');
    if (!index) return notBuilt(context);
    // A missing asset is a 404; any other path is a client-side route, dots included
    // (`/prompts/rag.system`).
    const file = files.get(pathname) ?? (MEDIA_TYPES[path.extname(pathname)] ? undefined : index);
    if (!file) return context.text('Not found.', 404);
    return sendFile(context, file);
  };
}

function sendFile(context: Context, file: StaticFile): Response {
  const headers: Record<string, string> = {
    'content-type': file.type,
    'cache-control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    etag: file.etag,
    vary: 'accept-encoding',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  if (file.type.startsWith('text/html')) headers['content-security-policy'] = CONTENT_SECURITY_POLICY;
  if (context.req.header('if-none-match') === file.etag) return new Response(null, { status: 304, headers });
  const gzip = file.gzip && /\bgzip\b/.test(context.req.header('accept-encoding') ?? '');
  if (gzip) headers['content-encoding'] = 'gzip';
  const body = gzip ? file.gzip! : file.body;
  headers['content-length'] = String(body.byteLength);
  return new Response(context.req.method === 'HEAD' ? null : (body as Uint8Array<ArrayBuffer>), {
    status: 200,
    headers,
  });
}

/** Reads every file of the build; an absent build is an empty map. */
function loadBuild(root: string): Map<string, StaticFile> {
  const files = new Map<string, StaticFile>();
  if (!existsSync(root)) return files;
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const absolute = path.join(entry.parentPath, entry.name);
    const relative = `/${path.relative(root, absolute).split(path.sep).join('/')}`;
    const body = readFileSync(absolute);
    const type = MEDIA_TYPES[path.extname(entry.name)] ?? 'application/octet-stream';
    const compressible = /^(text\/|application\/json|image\/svg)/.test(type) && body.byteLength > 1024;
    files.set(relative, {
      body,
      gzip: compressible ? gzipSync(body, { level: 9 }) : null,
      type,
      etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 22)}"`,
      immutable: relative.startsWith('/assets/'),
    });
  }
  return files;
}

function notBuilt(context: Context): Response {
  return context.html(
    '<!doctype html><title>groundwork</title><p>The web UI is not built. Run <code>npm run build:web</code> ' +
      '(or <code>npm start</code>, which builds it), then reload. The API is at <code>/v1</code>; ' +
      'see <a href="/openapi.json">/openapi.json</a>.</p>',
    404,
  );
}
