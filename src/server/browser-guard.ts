/**
 * @module server/browser-guard
 * Keeps web pages a developer visits from using a server that has no auth (the quick start's
 * default, where every caller is an anonymous member of the default tenant). Two doors are closed:
 *
 * - DNS rebinding: a page on `attacker.example` re-resolves its own name to 127.0.0.1 and then reads
 *   and writes as a same-origin page. Its requests still say `Host: attacker.example`, so a server
 *   bound to a loopback address answers only loopback names (`localhost`, `*.localhost`, 127.0.0.0/8,
 *   `[::1]`, with any port): anything else is 421 `host_not_allowed`, reads included.
 * - Cross-site requests: a page elsewhere posts a form (or a `no-cors` fetch) to
 *   `http://localhost:8787/v1/ingest`. Browsers send `Origin` with every cross-origin POST, PUT,
 *   PATCH and DELETE (and `Sec-Fetch-Site` in current ones), so a state-changing request is refused
 *   with 403 `cross_origin_request` when its Origin is not the server's own (`null` included) or the
 *   browser marks it cross-site. A request with neither header is not a browser's (curl, SDKs, the
 *   CLI) and goes on, whatever its content type, so `curl -F file=@x.pdf` keeps working.
 *
 * Callers with a credential (an API key, a session, a JWT) are not checked: browsers do not attach
 * bearer tokens on their own, so a page cannot borrow them. See ADR 0065.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ServerEnv } from './authenticate.ts';
import type { ErrorBody } from './http-error.ts';
import { openAIErrorBody } from './openai-error.ts';

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Whether `host` (a bind address or a Host header's name, without the port) is a loopback name. */
export function isLoopbackName(host: string): boolean {
  const name = host.toLowerCase().replace(/^\[(.*)\]$/, '$1');
  if (name === 'localhost' || name.endsWith('.localhost')) return true;
  if (name === '::1' || name === '0:0:0:0:0:0:0:1') return true;
  const octets = name.split('.');
  return (
    octets.length === 4 &&
    octets[0] === '127' &&
    octets.every((octet) => /^\d{1,3}$/.test(octet) && Number(octet) <= 255)
  );
}

/** The name part of a Host header value (`[::1]:8787` → `[::1]`, `localhost:80` → `localhost`). */
function hostName(host: string): string {
  if (host.startsWith('[')) return host.slice(0, host.indexOf(']') + 1);
  const colon = host.indexOf(':');
  return colon === -1 ? host : host.slice(0, colon);
}

/** Options of the guard. */
export interface BrowserGuardOptions {
  /**
   * The address the server listens on. Loopback (or unknown: `app.request` in tests, the default
   * bind) means Host headers are checked; a non-loopback bind accepts any Host.
   */
  readonly bindHost?: string;
}

/** The middleware; runs after authentication (it reads whether the caller has a credential). */
export function browserGuard(options: BrowserGuardOptions = {}): MiddlewareHandler<ServerEnv> {
  const checkHost = options.bindHost === undefined || isLoopbackName(options.bindHost);
  return async (context, next) => {
    if (context.get('identity')?.keyId) return next();
    const url = new URL(context.req.url);
    if (checkHost && !isLoopbackName(hostName(url.host))) {
      return refuse(
        context,
        421,
        'host_not_allowed',
        'This server listens on a loopback address without auth and answers only loopback host names (localhost, 127.0.0.1, [::1]).',
      );
    }
    if (STATE_CHANGING.has(context.req.method) && crossSite(context, url)) {
      return refuse(
        context,
        403,
        'cross_origin_request',
        'A request from another site may not change anything on a server without auth; send it from this origin, or use an API key.',
      );
    }
    return next();
  };
}

/** Whether the browser says the request comes from another origin. */
function crossSite(context: Context<ServerEnv>, url: URL): boolean {
  const origin = context.req.header('origin');
  if (origin !== undefined) return origin !== url.origin;
  const site = context.req.header('sec-fetch-site');
  return site !== undefined && site !== 'same-origin' && site !== 'none';
}

function refuse(context: Context<ServerEnv>, status: 403 | 421, code: string, message: string) {
  // The OpenAI-compatible door answers in OpenAI's error shape.
  const openAI = context.req.path === '/v1/chat/completions' || context.req.path === '/v1/models';
  return context.json(
    openAI ? openAIErrorBody(status, code, message) : ({ error: { code, message } } satisfies ErrorBody),
    status,
  );
}
