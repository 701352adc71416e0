/**
 * @module server/routes/metrics
 * `GET /metrics`: the app's Prometheus metrics in the text exposition format. It sits outside /v1 as
 * scrapers expect. The series span every tenant, so it needs the platform scope (the metrics token, a
 * platform key, or the default tenant's admin while it is the only tenant; see server/platform-scope.ts);
 * it is open when auth is off.
 */
import { Hono } from 'hono';
import type { GroundworkMetrics } from '../../observability/metrics.ts';
import type { ServerEnv } from '../identity.ts';

/** Routes. */
export function metricsRoutes(metrics: GroundworkMetrics) {
  return new Hono<ServerEnv>().get('/metrics', async (context) => {
    const body = await metrics.registry.metrics();
    return context.body(body, 200, { 'content-type': metrics.registry.contentType });
  });
}
