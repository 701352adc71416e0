/**
 * @module server/authenticate
 * Who is calling. With auth on, every /v1 request carries an API key (`Authorization: Bearer gw_…` or
 * `x-api-key`); the key gives the tenant, the role and the ACL principals, and the route's declaration says
 * which role the route needs. With auth off (or `auto` before the first key exists) every caller is an
 * anonymous member of the default tenant who may read only documents shared with everyone (`*`), as
 * before keys existed; key management then needs a key, so it is closed. Three credentials share the
 * bearer header, told apart by shape: a signed customer session (`gws_…`), an OIDC JWT (three
 * dot-separated parts) and an API key (`gw_…`). Each caller, anonymous or not, is rate limited before
 * the route runs.
 */
import type { Context, MiddlewareHandler } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type {
  CredentialEnd,
  CredentialWatch,
  StopWatching,
  WatchedCredential,
} from '../identity/credential-watch.ts';
import type { KeyQuota, KeyQuotas } from '../identity/key-quotas.ts';
import type { ApiKeyService } from '../identity/keys.ts';
import type { OidcVerifier } from '../identity/oidc.ts';
import { type Role, type RouteAccess, roleAllows } from '../identity/roles.ts';
import type { SessionService } from '../identity/sessions.ts';
import { credentialStrategies } from './credential-strategies.ts';
import type { ServerDrain } from './drain.ts';
import type { ErrorBody } from './http-error.ts';
import { openAIErrorBody } from './openai-error.ts';
import type { RateLimiter } from './rate-limit.ts';

/** The caller as the services see it. */
export interface RequestIdentity {
  readonly tenantId: string;
  /**
   * Principals for ACL checks: the key's, plus `key:<id>`; a session's `session:<id>` (and
   * `customer:<id>` once verified); anonymous callers have none beyond `*`.
   */
  readonly principals: readonly string[];
  readonly role: Role;
  /**
   * The API key, `oidc:<sub>` for a bearer JWT's subject, `session:<id>` for a customer session, or
   * null for anonymous callers (auth off).
   */
  readonly keyId: string | null;
  /** A platform key: may read what spans tenants (`/metrics`). Absent means no. */
  readonly platform?: boolean;
  /** Present when the caller is a signed customer session. */
  readonly session?: {
    readonly id: string;
    /** The verified customer (vouched for at issue, or verified in a conversation); null while anonymous. */
    readonly customerId: string | null;
  };
}

/**
 * The caller as one principal, `key:<id>`, `oidc:<sub>` or `session:<id>` (conversation owners, trace
 * principals), or null when anonymous.
 */
export function callerOf(identity: RequestIdentity): string | null {
  if (!identity.keyId) return null;
  return /^(oidc|session):/.test(identity.keyId) ? identity.keyId : `key:${identity.keyId}`;
}

/** Watches the caller's credential; set by the auth middleware for callers with a key or token. */
export type CredentialLease = (onEnd: (end: CredentialEnd) => void) => StopWatching;

/** Hono context variables set by our middleware. */
export interface ServerEnv {
  Variables: {
    identity: RequestIdentity;
    /** Watches the caller's key or token, so streams end when it does; unset for anonymous callers. */
    credential: CredentialLease | undefined;
    /** The process's drain (server/drain.ts): streams end with a final event when it shuts down. */
    drain: ServerDrain | undefined;
  };
}

/** What authentication reads of the mounted routes. */
export interface RouteLookup {
  accessOf(method: string, path: string): RouteAccess;
  errorsOf(path: string): 'groundwork' | 'openai';
}

/** How the HTTP API authenticates callers. */
export type AuthMode = 'auto' | 'required' | 'off';

/** What the middleware needs. */
export interface AuthOptions {
  readonly mode: AuthMode;
  readonly defaultTenant: string;
  readonly keys: Pick<ApiKeyService, 'authenticate' | 'anyExist'>;
  readonly limiter: RateLimiter;
  /** Verifies bearer JWTs when OIDC is configured; then keys are required in `auto` mode too. */
  readonly oidc?: OidcVerifier;
  /** Checks signed customer sessions (`gws_…`); without it they are refused as unknown keys. */
  readonly sessions?: Pick<SessionService, 'authenticate'>;
  /** Whether a tenant named by a token exists (tokens never create tenants). */
  readonly tenantExists?: (tenantId: string) => Promise<boolean>;
  /** Ends open streams when their credential ends; without it streams are not watched. */
  readonly credentials?: Pick<CredentialWatch, 'watch'>;
  /** Counts requests of keys with a quota; without it quotas are not enforced. */
  readonly quotas?: Pick<KeyQuotas, 'admit'>;
  /**
   * The mounted routes (server/route-table.ts): the role a request needs, and the error shape of its
   * path (OpenAI's on the OpenAI-compatible routes, so OpenAI clients raise their typed errors).
   */
  readonly routes: RouteLookup;
  /** Whether a request spends answer tokens (so a key's token quota applies to it). */
  readonly spendsTokens?: (method: string, path: string) => boolean;
}

/** Whether keys are required now: `auto` turns into `required` with the first key. */
export async function authRequired(
  mode: AuthMode,
  keys: Pick<ApiKeyService, 'anyExist'>,
  oidcConfigured = false,
): Promise<boolean> {
  if (mode === 'off') return false;
  if (mode === 'required' || oidcConfigured) return true;
  return keys.anyExist();
}

/** Authenticates, authorizes and rate-limits /v1 requests; sets `identity`. */
export function authenticate(options: AuthOptions): MiddlewareHandler<ServerEnv> {
  const strategies = credentialStrategies(options);
  return async (context, next) => {
    const access = options.routes.accessOf(context.req.method, context.req.path);
    const deny = refuser(options.routes);
    let identity: RequestIdentity;
    if (!(await authRequired(options.mode, options.keys, options.oidc !== undefined))) {
      if (context.req.path.startsWith('/v1/admin/')) {
        return deny(context, 401, 'missing_api_key', 'Key management needs an admin API key (auth is off).');
      }
      // A session would be ignored while auth is off, so issuing one would only mislead.
      if (context.req.path.startsWith('/v1/sessions')) {
        return deny(context, 401, 'missing_api_key', 'Sessions need an API key (auth is off).');
      }
      identity = { tenantId: options.defaultTenant, principals: [], role: 'admin', keyId: null };
    } else {
      const token = presentedToken(context);
      if (!token)
        return deny(context, 401, 'missing_api_key', 'Send an API key: Authorization: Bearer gw_….');
      // The first strategy that takes the token's shape decides (session, OIDC, API key).
      const strategy = strategies.find((candidate) => candidate.accepts(token));
      const outcome = await (strategy ?? strategies.at(-1)!).authenticate(token);
      if (!outcome.ok) return deny(context, outcome.status, outcome.code, outcome.message, outcome.headers);
      const { identity: caller, credential, quota, quotaKeyId } = outcome;
      return admit(context, next, caller, access, options, {
        credential,
        ...(quota !== undefined ? { quota } : {}),
        ...(quotaKeyId ? { quotaKeyId } : {}),
      });
    }
    return admit(context, next, identity, access, options);
  };
}

/** Rate-limits and authorizes a known caller, then runs the route. */
async function admit(
  context: Context<ServerEnv>,
  next: () => Promise<void>,
  identity: RequestIdentity,
  access: RouteAccess,
  options: AuthOptions,
  caller: {
    credential?: WatchedCredential;
    quota?: KeyQuota | null;
    /** The key the quota belongs to, when not the caller's own (a session's issuing key). */
    quotaKeyId?: string;
  } = {},
): Promise<Response | undefined> {
  const deny = refuser(options.routes);
  const decision = await options.limiter.take(identity.tenantId, identity.keyId);
  if (!decision.allowed) {
    return deny(context, 429, 'rate_limited', 'Too many requests; retry later.', {
      'retry-after': String(decision.retryAfterSeconds),
    });
  }
  if (access !== 'public' && !roleAllows(identity.role, access)) {
    return deny(
      context,
      403,
      'forbidden_role',
      `This route needs the ${access} role; the caller is ${identity.role}.`,
    );
  }
  const quotaKeyId = caller.quotaKeyId ?? identity.keyId;
  if (caller.quota && options.quotas && quotaKeyId) {
    const spends = options.spendsTokens?.(context.req.method, context.req.path) ?? false;
    const verdict = await options.quotas.admit(
      { keyId: quotaKeyId, tenantId: identity.tenantId },
      caller.quota,
      spends,
    );
    if (!verdict.allowed) {
      return deny(
        context,
        429,
        'quota_exceeded',
        `${caller.quotaKeyId ? 'The key that issued this session has' : 'This key has'} used its ${verdict.exhausted} quota for the ${caller.quota.period}; it resets at ${verdict.resetsAt.toISOString()}.`,
        { 'retry-after': String(verdict.retryAfterSeconds) },
      );
    }
  }
  context.set('identity', identity);
  const { credential } = caller;
  const watch = options.credentials;
  if (credential && watch) context.set('credential', (onEnd) => watch.watch(credential, onEnd));
  await next();
  return undefined;
}

/** The bearer token (or `x-api-key`) the caller presented, if any. */
export function presentedToken(context: Context): string | undefined {
  const authorization = context.req.header('authorization');
  const bearer = authorization ? /^Bearer\s+(\S+)\s*$/i.exec(authorization)?.[1] : undefined;
  return bearer ?? context.req.header('x-api-key')?.trim() ?? undefined;
}

/** Refusals in the error shape of the requested path. */
function refuser(routes: Pick<RouteLookup, 'errorsOf'>) {
  return (
    context: Context,
    status: ContentfulStatusCode,
    code: string,
    message: string,
    headers: Record<string, string> = {},
  ): Response => {
    const allHeaders = status === 401 ? { 'www-authenticate': 'Bearer', ...headers } : headers;
    const body =
      routes.errorsOf(context.req.path) === 'openai'
        ? openAIErrorBody(status, code, message)
        : ({ error: { code, message } } satisfies ErrorBody);
    return context.json(body, status, allHeaders);
  };
}
