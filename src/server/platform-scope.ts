/**
 * @module server/platform-scope
 * Routes whose data spans tenants (`/metrics`: request, token and cost series of every tenant) need
 * the platform scope, not merely a tenant's admin role. A caller has it when they present the
 * configured metrics token (GROUNDWORK_METRICS_TOKEN, for a Prometheus server; no API key needed),
 * or an admin key flagged `platform` (only the CLI makes those), or — so a single-tenant install
 * needs nothing extra — an admin of the default tenant while the default tenant is the only one,
 * when every series is theirs anyway. With auth off every caller is admitted, as on every route.
 * Anyone else gets 403 `platform_scope_required`.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { hashSecret, secretMatches } from '../identity/key-secret.ts';
import { presentedToken, type RequestIdentity, type ServerEnv } from './authenticate.ts';
import type { ErrorBody } from './http-error.ts';

/** What the check needs. */
export interface PlatformScopeOptions {
  /** The metrics bearer token, when configured. */
  readonly token?: string;
  /** Authenticates everyone else (the usual /v1 middleware). */
  readonly authenticate: MiddlewareHandler<ServerEnv>;
  readonly defaultTenant: string;
  /** How many tenants exist now. */
  readonly tenantCount: () => Promise<number>;
}

/** Whether an authenticated caller has the platform scope. */
export async function hasPlatformScope(
  identity: RequestIdentity,
  options: Pick<PlatformScopeOptions, 'defaultTenant' | 'tenantCount'>,
): Promise<boolean> {
  if (identity.keyId === null) return true;
  if (identity.platform === true) return true;
  return (
    identity.role === 'admin' &&
    identity.tenantId === options.defaultTenant &&
    (await options.tenantCount()) === 1
  );
}

/** The middleware for platform routes; it replaces `authenticate` on them. */
export function requirePlatformScope(options: PlatformScopeOptions): MiddlewareHandler<ServerEnv> {
  const tokenHash = options.token ? hashSecret(options.token) : undefined;
  return async (context, next) => {
    const presented = presentedToken(context);
    if (tokenHash && presented && secretMatches(presented, tokenHash)) {
      context.set('identity', {
        tenantId: options.defaultTenant,
        principals: [],
        role: 'admin',
        keyId: 'metrics-token',
        platform: true,
      });
      await next();
      return undefined;
    }
    let refused: Response | undefined;
    const response = await options.authenticate(context, async () => {
      if (await hasPlatformScope(context.get('identity'), options)) await next();
      else refused = forbidden(context);
    });
    return response ?? refused;
  };
}

function forbidden(context: Context): Response {
  const body: ErrorBody = {
    error: {
      code: 'platform_scope_required',
      message:
        'These metrics cover every tenant: scrape them with GROUNDWORK_METRICS_TOKEN or a platform key ' +
        '(groundwork keys create --platform), not a tenant admin key.',
    },
  };
  return context.json(body, 403);
}
