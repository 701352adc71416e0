/**
 * @module server/observe-requests
 * The first middleware of the HTTP app: every request runs in a trace scope of this app, under one
 * root span (route template, method, status, tenant, caller), answers with a `traceparent` header
 * naming its trace, and is counted in the HTTP metrics. Liveness, readiness and scrapes are counted
 * but not traced: they would bury the traces that matter.
 */
import { type Span, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import {
  ATTR_HTTP_REQUEST_METHOD,
  ATTR_HTTP_RESPONSE_STATUS_CODE,
  ATTR_HTTP_ROUTE,
  ATTR_URL_PATH,
} from '@opentelemetry/semantic-conventions';
import type { Context, MiddlewareHandler } from 'hono';
import { matchedRoutes } from 'hono/route';
import { GroundworkError } from '../errors.ts';
import type { Observability } from '../observability/observability.ts';
import { runInScope, type TraceScope } from '../observability/scope.ts';
import { ERROR_CODE_ATTRIBUTE, recordError, withSpan } from '../observability/tracer.ts';
import { callerOf, type ServerEnv } from './identity.ts';

const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/** Span attribute with the caller's tenant. */
export const TENANT_ATTRIBUTE = 'groundwork.tenant';

/** Traces and counts requests for `observability`'s app. */
export function observeRequests(observability: Observability): MiddlewareHandler<ServerEnv> {
  if (!observability.enabled) {
    // Still a scope, so spans the routes make are not taken for another app's in the same process.
    const off: TraceScope = observability.newScope();
    return (_context, next) => runInScope(off, next);
  }
  const { metrics } = observability;
  return async (context, next) => {
    const started = performance.now();
    const method = context.req.method;
    const scope = observability.newScope();
    const traced = !UNTRACED.has(context.req.path);
    const handle = async (span?: Span) => {
      await next();
      const route = routeOf(context);
      const status = context.res.status;
      scope.route = route;
      const identity = context.get('identity');
      if (identity) {
        scope.tenantId = identity.tenantId;
        scope.principal = callerOf(identity) ?? 'anonymous';
      }
      if (span) describeSpan(span, context, route, status, identity?.tenantId);
      const labels = { route, method, status: String(status) };
      metrics.httpRequests.inc(labels);
      if (status >= 500) metrics.httpErrors.inc(labels);
      metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
    };
    await runInScope(scope, () =>
      traced
        ? withSpan(
            `${method} ${context.req.path}`,
            { [ATTR_HTTP_REQUEST_METHOD]: method },
            handle,
            SpanKind.SERVER,
          )
        : handle(),
    );
  };
}

function describeSpan(
  span: Span,
  context: Context<ServerEnv>,
  route: string,
  status: number,
  tenant?: string,
) {
  // The span is renamed to the template: raw paths (with ids) would make every name unique.
  span.updateName(`${context.req.method} ${route}`);
  span.setAttributes({
    [ATTR_HTTP_ROUTE]: route,
    [ATTR_URL_PATH]: context.req.path,
    [ATTR_HTTP_RESPONSE_STATUS_CODE]: status,
    ...(tenant ? { [TENANT_ATTRIBUTE]: tenant } : {}),
  });
  const error = context.error;
  // Server spans are errors only for 5xx; a 4xx is the caller's mistake, kept as its code.
  if (status >= 500) {
    if (error) recordError(span, error);
    span.setStatus({ code: SpanStatusCode.ERROR, message: String(status) });
  }
  if (error) {
    span.setAttribute(
      ERROR_CODE_ATTRIBUTE,
      GroundworkError.isInstance(error) ? error.code : 'internal_error',
    );
  }
  const { traceId, spanId, traceFlags } = span.spanContext();
  try {
    context.res.headers.set('traceparent', `00-${traceId}-${spanId}-0${traceFlags & 1}`);
  } catch {
    // A response with immutable headers (one passed through from fetch) goes without the header.
  }
}

/** The template of the route that answered, or `unmatched` (a 404 from no route). */
function routeOf(context: Context): string {
  const handlers = matchedRoutes(context).filter((route) => route.method !== 'ALL');
  return handlers.at(-1)?.path ?? 'unmatched';
}
