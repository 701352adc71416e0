/**
 * @module server/observe-requests
 * The first middleware of the HTTP app: every request runs in a trace scope of this app, under one
 * root span (route template, method, status, tenant, caller), answers with a `traceparent` header
 * naming its trace, and is counted in the HTTP metrics. A streamed response (server-sent events) is
 * over when its body ends, not when its headers are sent: its root span and its duration run until
 * then, and a client that leaves early is recorded as `cancelled` (counted under status 499).
 * Liveness, readiness and scrapes are counted but not traced: they would bury the traces that matter.
 */
import { context as otelContext, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
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
import { ERROR_CODE_ATTRIBUTE, recordError, startSpan } from '../observability/tracer.ts';
import { callerOf, type ServerEnv } from './authenticate.ts';
import { type BodyOutcome, isStreamedResponse, onBodyEnd } from './body-end.ts';

const UNTRACED = new Set(['/healthz', '/readyz', '/metrics']);

/** Span attribute with the caller's tenant. */
export const TENANT_ATTRIBUTE = 'groundwork.tenant';

/** Root span attribute set when the client went away before a streamed response ended. */
export const CANCELLED_ATTRIBUTE = 'groundwork.http.cancelled';

/** Error code of a request whose client left before its streamed response ended. */
export const CANCELLED_CODE = 'cancelled';

/** The status metrics count a request under when its client left before the streamed body ended. */
const CLIENT_CLOSED_REQUEST = 499;

/** Paths that carry a customer's id, recorded in traces by their template only. */
const PRIVACY_PATHS = '/v1/admin/privacy/';

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
    await runInScope(scope, async () => {
      const span = traced
        ? startSpan(`${method} ${context.req.path}`, { [ATTR_HTTP_REQUEST_METHOD]: method }, SpanKind.SERVER)
        : undefined;
      try {
        await (span ? otelContext.with(trace.setSpan(otelContext.active(), span), next) : next());
      } catch (error) {
        // Hono turns handler errors into responses; this is a fault in the middleware chain itself.
        if (span) {
          recordError(span, error);
          span.end();
        }
        throw error;
      }
      const route = routeOf(context);
      const status = context.res.status;
      scope.route = route;
      const identity = context.get('identity');
      if (identity) {
        scope.tenantId = identity.tenantId;
        scope.principal = callerOf(identity) ?? 'anonymous';
      }
      if (span) describeSpan(span, context, route, status, identity?.tenantId);
      const finish = (outcome: BodyOutcome) => {
        if (span) describeOutcome(span, outcome);
        const labels = { route, method, status: statusLabel(status, outcome) };
        metrics.httpRequests.inc(labels);
        if (Number(labels.status) >= 500) metrics.httpErrors.inc(labels);
        metrics.httpDuration.observe(labels, (performance.now() - started) / 1000);
        span?.end();
      };
      // A streamed answer is not over when its headers are: the span and the duration wait for its body.
      if (isStreamedResponse(context.res)) context.res = onBodyEnd(context.res, finish);
      else finish({ kind: 'complete' });
    });
  };
}

/** The status a request is counted under: 499 (as nginx logs it) when the client left a stream. */
function statusLabel(status: number, outcome: BodyOutcome): string {
  if (outcome.kind === 'cancelled') return String(CLIENT_CLOSED_REQUEST);
  return String(outcome.kind === 'failed' ? 500 : status);
}

/** Records on the root span how a streamed body ended, when it did not simply end. */
function describeOutcome(span: Span, outcome: BodyOutcome): void {
  if (outcome.kind === 'cancelled') {
    // Like a 4xx, not a server fault: the span keeps its status and says why it ended early.
    span.setAttribute(ERROR_CODE_ATTRIBUTE, CANCELLED_CODE);
    span.setAttribute(CANCELLED_ATTRIBUTE, true);
  } else if (outcome.kind === 'failed') {
    recordError(span, outcome.error);
  }
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
    // A privacy route's path names the customer it acts on: its trace keeps the template only, so an
    // erase leaves no trace of whom it erased (ADR 0054).
    [ATTR_URL_PATH]: context.req.path.startsWith(PRIVACY_PATHS) ? route : context.req.path,
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
