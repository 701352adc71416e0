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
import { browserGuard } from './browser-guard.ts';
import { ANSWER_PATHS, checkBudget } from './budget-check.ts';
import { ServerDrain } from './drain.ts';
import { handleError } from './http-error.ts';
import { authenticate, type ServerEnv } from './identity.ts';
import { observeRequests } from './observe-requests.ts';
import { handleOpenAIError } from './openai-error.ts';
import { requirePlatformScope } from './platform-scope.ts';
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
   * Routes an app adds (the support app's); each must be declared in the route registry
   * (openapi/api-routes.ts), or it needs an admin key.
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
  const drain = options.drain ?? new ServerDrain();
  const probesOnly = options.surface === 'probes';
  // The OpenAI-compatible door answers in OpenAI's shape even when the database fails in middleware
  // (authentication, shared rate limits, budgets) before its own handler runs.
  http.onError((error, context) =>
    context.req.path.startsWith('/v1/chat/completions') && findDatabaseUnavailable(error)
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
    spendsTokens: (method, path) =>
      method === 'POST' && (ANSWER_PATHS as readonly string[]).includes(path.replace(/\/+$/, '')),
    sessions: app.sessions,
    ...(app.config.oidc
      ? {
          oidc: createOidcVerifier(app.config.oidc, app.config.defaultTenant, options.fetch),
          tenantExists: (tenantId: string) => app.tenants.exists(tenantId),
        }
      : {}),
  });
  http.use('/v1/*', auth);
  // Without auth: no DNS rebinding, no cross-site writes (ADR 0029).
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
  http.use('/v1/*', requestTimeout(app.config.limits.requestTimeoutMs));
  http.use('/v1/*', async (context, next) => {
    // Uploads stream to the blob store's staging folder and enforce their limits as they arrive
    // (server/multipart-upload.ts); the body limit would buffer them whole first.
    if (context.req.method === 'POST' && context.req.path === '/v1/documents') return next();
    const maxSize = JSON_BODY_LIMIT;
    return bodyLimit({
      maxSize,
      // The rest of the body is never read, so the connection cannot carry another request: say so.
      onError: (limited) =>
        limited.json(
          { error: { code: 'payload_too_large', message: `The request body exceeds ${maxSize} bytes.` } },
          413,
          { connection: 'close' },
        ),
    })(context, next);
  });
  for (const path of ANSWER_PATHS) http.use(path, checkBudget(app.budgets));
  http.route('/', healthRoutes(app.health, drain));
  if (probesOnly) return http.route('/', metricsRoutes(app.observability.metrics));
  // Described as served: read at the first request, after the app routes below are added.
  http.route(
    '/',
    openAPIRoutes(() => http.routes),
  );
  http.route('/', searchRoutes(app.retriever));
  http.route('/', askRoutes(app.answerer));
  http.route('/', chatRoutes(app.chat, app.inbox));
  http.route('/', jobRoutes(app.ingestion));
  http.route('/', documentRoutes(app, app.ingestion, { service: app.uploads, limits: app.config.limits }));
  http.route('/', openAICompatibleRoutes(app.answerer));
  http.route('/', adminKeyRoutes(app.keys));
  http.route('/', adminGuardrailRoutes(app.guardrailSettings));
  http.route('/', privacyRoutes(app.privacy));
  // Read-only routes read through services that use the read replica when one is configured.
  http.route('/', traceRoutes(app.observability.traces, app.observability.retentionDays));
  http.route('/', metricsRoutes(app.observability.metrics));
  http.route('/', usageRoutes(app.usage));
  http.route('/', promptRoutes(app.prompts));
  http.route('/', experimentRoutes(app.experiments));
  http.route('/', feedbackRoutes(app.feedback));
  // Agent services: the operator inbox, and the customer's view of a conversation.
  http.route('/', inboxRoutes(app.inbox));
  http.route('/', conversationMessageRoutes(app.inbox, app.chat));
  http.route('/', meRoutes(app.keys));
  http.route('/', sessionRoutes(app.sessions, options.customers));
  for (const routes of options.routes ?? []) http.route('/', routes);
  return http;
}

/**
 * Answers 504 `request_timeout` when a route takes longer than `ms` to produce its response. A
 * streamed response counts as produced when its headers go out; live event streams are exempt.
 */
function requestTimeout(ms: number): MiddlewareHandler<ServerEnv> {
  return async (context, next) => {
    if (context.req.path.endsWith('/events')) return next();
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
