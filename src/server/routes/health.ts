/**
 * @module server/routes/health
 * Liveness (`/healthz`: the process answers) and readiness (`/readyz`: the database answers; 503
 * `database_unavailable` with `Retry-After` while it does not, so a load balancer takes the process
 * out of rotation and puts it back once the database is reachable again). While the process drains
 * for a shutdown (server/drain.ts), `/readyz` answers 503 `server_shutting_down` for good.
 */
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  findDatabaseUnavailable,
} from '../../errors.ts';
import type { HealthService } from '../../observability/health.ts';
import { logger } from '../../observability/logger.ts';
import { type ServerDrain, SHUTDOWN_RETRY_AFTER_SECONDS, SHUTTING_DOWN } from '../drain.ts';
import { retryAfterOf } from '../http-error.ts';
import { healthSchema, readinessSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';

/** The routes, as they declare themselves (server/route-spec.ts). */
const HEALTH_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/healthz',
    tag: 'health',
    summary: 'Liveness: the process answers.',
    access: 'public',
    responses: { 200: ok(healthSchema) },
    body: 'none',
    timeout: false,
  },
  {
    method: 'get',
    path: '/readyz',
    tag: 'health',
    summary: 'Readiness: the database answers (503 when not).',
    access: 'public',
    responses: {
      200: ok(readinessSchema),
    },
    body: 'none',
    timeout: false,
  },
];

/** Routes. */
export function healthRoutes(
  health: Pick<HealthService, 'ready' | 'dialect'>,
  drain?: Pick<ServerDrain, 'draining'>,
) {
  return declareRoutes(HEALTH_ROUTES)
    .get('/healthz', (context) => context.json({ status: 'ok' }))
    .get('/readyz', async (context) => {
      if (drain?.draining) {
        context.header('retry-after', String(SHUTDOWN_RETRY_AFTER_SECONDS));
        return context.json(
          { status: 'shutting_down', error: { code: SHUTTING_DOWN.code, message: SHUTTING_DOWN.message } },
          503,
        );
      }
      try {
        await health.ready();
        return context.json({ status: 'ready', database: health.dialect });
      } catch (error) {
        const unavailable = findDatabaseUnavailable(error);
        logger.warn({ err: error }, 'Not ready: the database does not answer.');
        context.header(
          'retry-after',
          String(unavailable ? retryAfterOf(unavailable) : DATABASE_RETRY_AFTER_SECONDS),
        );
        return context.json(
          {
            status: 'unavailable',
            error: { code: 'database_unavailable', message: DATABASE_UNAVAILABLE_MESSAGE },
          },
          503,
        );
      }
    });
}
