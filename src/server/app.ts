/**
 * @module server/app
 * The HTTP API (Hono). Routes are thin: they validate, take the caller's identity, and call services.
 */
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import type { Groundwork } from '../app.ts';
import { handleError } from './http-error.ts';
import { authenticate, type ServerEnv } from './identity.ts';
import { RateLimiter } from './rate-limit.ts';
import { adminKeyRoutes } from './routes/admin-keys.ts';
import { askRoutes } from './routes/ask.ts';
import { chatRoutes } from './routes/chat.ts';
import { documentRoutes } from './routes/documents.ts';
import { healthRoutes } from './routes/health.ts';
import { jobRoutes } from './routes/jobs.ts';
import { meRoutes } from './routes/me.ts';
import { openAICompatibleRoutes } from './routes/openai-compatible.ts';
import { openAPIRoutes } from './routes/openapi.ts';
import { searchRoutes } from './routes/search.ts';
import { DEFAULT_WEB_ROOT, webUiHandler } from './web-ui.ts';

/** JSON bodies above this are refused before they are read. */
const JSON_BODY_LIMIT = 1024 * 1024;

/** Options of the HTTP application. */
export interface HttpAppOptions {
  /** The web UI's build to serve under `/` (default web/dist); null serves no UI. */
  readonly webRoot?: string | null;
}

/** Builds the HTTP application over a running product. */
export function createHttpApp(app: Groundwork, options: HttpAppOptions = {}) {
  const http = new Hono<ServerEnv>();
  http.onError(handleError);
  // The web UI answers what no API route does (see server/web-ui.ts); API paths keep the JSON 404.
  http.notFound(
    webUiHandler(options.webRoot === undefined ? DEFAULT_WEB_ROOT : options.webRoot, (context) =>
      context.json({ error: { code: 'route_not_found', message: 'No such route.' } }, 404),
    ),
  );
  http.use(
    '/v1/*',
    authenticate({
      mode: app.config.auth,
      defaultTenant: app.config.defaultTenant,
      keys: app.keys,
      limiter: new RateLimiter(app.config.rateLimits),
    }),
  );
  http.use('/v1/*', async (context, next) => {
    const upload = context.req.method === 'POST' && context.req.path === '/v1/documents';
    const maxSize = upload ? app.config.limits.maxFileBytes * 4 : JSON_BODY_LIMIT;
    return bodyLimit({
      maxSize,
      onError: (limited) =>
        limited.json(
          { error: { code: 'payload_too_large', message: `The request body exceeds ${maxSize} bytes.` } },
          413,
        ),
    })(context, next);
  });
  http.route('/', healthRoutes(app.db));
  http.route('/', openAPIRoutes());
  http.route('/', searchRoutes(app.retriever));
  http.route('/', askRoutes(app.answerer));
  http.route('/', chatRoutes(app.chat));
  http.route('/', jobRoutes(app.ingestion));
  http.route('/', documentRoutes(app.db, app.ingestion, app.config.limits.maxFileBytes));
  http.route('/', openAICompatibleRoutes(app.answerer));
  http.route('/', adminKeyRoutes(app.keys));
  http.route('/', meRoutes(app.keys));
  return http;
}
