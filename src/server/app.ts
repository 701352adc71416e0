/**
 * @module server/app
 * The HTTP API (Hono). Routes are thin: they validate, take the caller's identity, and call services.
 */
import { Hono, type MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { GroundworkServices } from '../app.ts';
import { findDatabaseUnavailable, GroundworkError } from '../errors.ts';
import { createOidcVerifier } from '../identity/oidc.ts';
import type { CustomerDirectory } from '../spec/customer-directory.ts';
import { authenticate, type ServerEnv } from './authenticate.ts';
import { browserGuard } from './browser-guard.ts';
import { checkBudget } from './budget-check.ts';
import { ServerDrain } from './drain.ts';
import { handleError } from './http-error.ts';
import { observeRequests } from './observe-requests.ts';
import { handleOpenAIError } from './openai-error.ts';
import { requirePlatformScope } from './platform-scope.ts';
import { RouteTable } from './route-table.ts';
import { adminGuardrailRoutes } from './routes/admin-guardrails.ts';
import { adminKeyRoutes } from './routes/admin-keys.ts';
import { askRoutes } from './routes/ask.ts';
import { chatRoutes } from './routes/chat.ts';
import { conversationMessageRoutes } from './routes/conversation-messages.ts';
import { documentRoutes } from './routes/documents.ts';
import { experimentRoutes } from './routes/experiments.ts';
import { feedbackRoutes } from './routes/feedback.ts';
import { healthRoutes } from './routes/health.ts';
import { inboxRoutes } from './routes/inbox.ts';
import { jobRoutes } from './routes/jobs.ts';
import { meRoutes } from './routes/me.ts';
import { metricsRoutes } from './routes/metrics.ts';
import { openAICompatibleRoutes } from './routes/openai-compatible.ts';
import { openAPIRoutes } from './routes/openapi.ts';
import { privacyRoutes } from './routes/privacy.ts';
import { promptRoutes } from './routes/prompts.ts';
import { searchRoutes } from './routes/search.ts';
import { sessionRoutes } from './routes/sessions.ts';
import { sourceRoutes } from './routes/sources.ts';
import { traceRoutes } from './routes/traces.ts';
import { usageRoutes } from './routes/usage.ts';
import { validRequestText } from './valid-request.ts';
import { DEFAULT_WEB_ROOT, webUiHandler } from './web-ui.ts';

/** JSON bodies above this are refused before they are read. */
const JSON_BODY_LIMIT = 1024 * 1024;

/** Options of the HTTP application. */
export interface HttpAppOptions {
  /** The web UI's build to serve under `/` (default web/dist); null serves no UI. */
  readonly webRoot?: string | null;
  /** How the OIDC verifier reaches the issuer (tests pass their own); the global fetch by default. */
  readonly fetch?: typeof fetch;
  /**
   * Routes an app adds (the support app's), each module built on `declareRoutes` (server/route-spec.ts)
   * so its routes are documented and access-checked like the platform's.
   */
  readonly routes?: readonly Hono<ServerEnv>[];
  /** The customers sessions may be issued for (the support app's); without it ids are taken as given. */
  readonly customers?: CustomerDirectory;
  /** The process's drain: `serve` begins it on SIGTERM (server/drain.ts); default one never begun. */
  readonly drain?: ServerDrain;
  /**
   * `probes` serves only `/healthz`, `/readyz` and `/metrics` (a `worker` process); default `api`.
   */
  readonly surface?: 'api' | 'probes';
  /**
   * The address the server listens on; with a loopback one (or none given) and no auth, only
   * loopback Host headers are answered (server/browser-guard.ts).
   */
  readonly bindHost?: string;
}

/** Builds the HTTP application over a running product. */
export function createHttpApp(app: GroundworkServices, options: HttpAppOptions = {}) {
  const http = new Hono<ServerEnv>();
  const table = new RouteTable(http);
  const drain = options.drain ?? new ServerDrain();
  const probesOnly = options.surface === 'probes';
  // The OpenAI-compatible door answers in OpenAI's shape even when the database fails in middleware
  // (authentication, shared rate limits, budgets) before its own handler runs.
  http.onError((error, context) =>
    table.errorsOf(context.req.path) === 'openai' && findDatabaseUnavailable(error)
      ? handleOpenAIError(error, context)
      : handleError(error, context),
  );
  // The web UI answers what no API route does (see server/web-ui.ts); API paths keep the JSON 404.
  http.notFound(
    webUiHandler(
      probesOnly ? null : options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot,
      (context) => context.json({ error: { code: 'route_not_found', message: 'No such route.' } }, 404),
    ),
  );
  // Outermost: counts requests in flight and refuses new ones while the process drains.
  http.use('*', drain.middleware());
  http.use('*', async (context, next) => {
    context.set('drain', drain);
    await next();
  });
  http.use('*', observeRequests(app.observability));
  // A NUL or an unpaired surrogate in the path or the query string is a 400 before any route runs.
  http.use('*', validRequestText());
  const auth = authenticate({
    mode: app.config.auth,
    defaultTenant: app.config.defaultTenant,
    keys: app.keys,
    limiter: app.rateLimiter,
    credentials: app.credentials,
    quotas: app.keys.quotas,
    routes: table,
    spendsTokens: (method, path) => table.find(method, path)?.spendsTokens === true,
    sessions: app.sessions,
    ...(app.config.oidc
      ? {
          oidc: createOidcVerifier(app.config.oidc, app.config.defaultTenant, options.fetch),
          tenantExists: (tenantId: string) => app.tenants.exists(tenantId),
        }
      : {}),
  });
  http.use('/v1/*', auth);
  // Without auth: no DNS rebinding, no cross-site writes (ADR 0065).
  http.use('/v1/*', browserGuard({ bindHost: options.bindHost }));
  http.use(
    '/metrics',
    requirePlatformScope({
      token: app.config.metricsToken,
      authenticate: auth,
      defaultTenant: app.config.defaultTenant,
      tenantCount: () => app.tenants.count(),
    }),
  );
  // Per-route options, as each route declares them (server/route-spec.ts).
  http.use(
    '*',
    table.perRoute((route) =>
      route.timeout === false ? undefined : requestTimeout(app.config.limits.requestTimeoutMs),
    ),
  );
  http.use(
    '*',
    table.perRoute((route) =>
      (route.body ?? 'json') === 'json' ? jsonBodyLimit(JSON_BODY_LIMIT) : undefined,
    ),
  );
  http.use(
    '*',
    table.perRoute((route) =>
      route.spendsTokens ? checkBudget(app.budgets, route.errors ?? 'groundwork') : undefined,
    ),
  );
  table.mount(healthRoutes(app.health, drain));
  if (probesOnly) {
    table.mount(metricsRoutes(app.observability.metrics));
    return http;
  }
  // Described as served: read at the first request, after the app routes below are added.
  table.mount(openAPIRoutes(() => table.routes));
  table.mount(searchRoutes(app.retriever));
  table.mount(askRoutes(app.answerer));
  table.mount(chatRoutes(app.chat, app.inbox));
  table.mount(jobRoutes(app.ingestion));
  table.mount(sourceRoutes(app.sources));
  table.mount(documentRoutes(app, app.ingestion, { service: app.uploads, limits: app.config.limits }));
  table.mount(openAICompatibleRoutes(app.answerer));
  table.mount(adminKeyRoutes(app.keys));
  table.mount(adminGuardrailRoutes(app.guardrailSettings));
  table.mount(privacyRoutes(app.privacy));
  // Read-only routes read through services that use the read replica when one is configured.
  table.mount(traceRoutes(app.observability.traces, app.observability.retentionDays));
  table.mount(metricsRoutes(app.observability.metrics));
  table.mount(usageRoutes(app.usage));
  table.mount(promptRoutes(app.prompts));
  table.mount(experimentRoutes(app.experiments));
  table.mount(feedbackRoutes(app.feedback));
  // Agent services: the operator inbox, and the customer's view of a conversation.
  table.mount(inboxRoutes(app.inbox));
  table.mount(conversationMessageRoutes(app.inbox, app.chat));
  table.mount(meRoutes(app.keys));
  table.mount(sessionRoutes(app.sessions, options.customers));
  for (const routes of options.routes ?? []) table.mount(routes);
  return http;
}

/**
 * Answers 504 `request_timeout` when a route takes longer than `ms` to produce its response. A
 * streamed response counts as produced when its headers go out; live event streams declare
 * `timeout: false`.
 */
function requestTimeout(ms: number): MiddlewareHandler<ServerEnv> {
  return async (_context, next) => {
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new GroundworkError({
              code: 'request_timeout',
              category: 'system',
              kind: 'timeout',
              retryable: true,
              message: `The request took longer than ${ms} ms; it was abandoned.`,
            }),
          ),
        ms,
      );
    });
    try {
      await Promise.race([next(), expired]);
    } finally {
      clearTimeout(timer);
    }
  };
}

/**
 * Refuses a body above `maxSize` bytes with 413 before reading it. The rest of the body is never read,
 * so the connection cannot carry another request: the response says so.
 */
function jsonBodyLimit(maxSize: number): MiddlewareHandler<ServerEnv> {
  return bodyLimit({
    maxSize,
    onError: (limited) =>
      limited.json(
        { error: { code: 'payload_too_large', message: `The request body exceeds ${maxSize} bytes.` } },
        413,
        { connection: 'close' },
      ),
  });
}
