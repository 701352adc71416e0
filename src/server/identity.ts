/**
 * @module server/identity
 * Who is calling. Until API keys and roles land (the trust work), every HTTP caller is an anonymous
 * member of the default tenant who may read only documents shared with everyone (`*`).
 */
import type { MiddlewareHandler } from 'hono';

/** The caller as the services see it. */
export interface RequestIdentity {
  readonly tenantId: string;
  /** Principals for ACL checks; anonymous callers have none beyond `*`. */
  readonly principals: readonly string[];
}

/** Hono context variables set by our middleware. */
export interface ServerEnv {
  Variables: { identity: RequestIdentity };
}

/** Attaches the anonymous identity of the default tenant. */
export function anonymousIdentity(tenantId: string): MiddlewareHandler<ServerEnv> {
  return async (context, next) => {
    context.set('identity', { tenantId, principals: [] });
    await next();
  };
}
