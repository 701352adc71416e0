/**
 * @module server/routes/metrics
 * `GET /metrics`: the app's Prometheus metrics in the text exposition format. It sits outside /v1 as
 * scrapers expect. The series span every tenant, so it needs the platform scope (the metrics token, a
 * platform key, or the default tenant's admin while it is the only tenant; see server/platform-scope.ts);
 * it is open when auth is off.
 */
import type { GroundworkMetrics } from '../../observability/metrics.ts';
import { declareRoutes, type RouteSpec } from '../route-spec.ts';

/** The routes, as they declare themselves (server/route-spec.ts). */
const METRICS_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/metrics',
    tag: 'metrics',
    summary:
      'Prometheus metrics of every tenant (text format). Needs the platform scope: `GROUNDWORK_METRICS_TOKEN`, a platform key, or the default tenant’s admin while it is the only tenant (else 403 `platform_scope_required`).',
    access: 'admin',
    responses: {
      200: { description: 'Prometheus text exposition format 0.0.4.' },
    },
    body: 'none',
    timeout: false,
  },
];

/** Routes. */
export function metricsRoutes(metrics: GroundworkMetrics) {
  return declareRoutes(METRICS_ROUTES).get('/metrics', async (context) => {
    const body = await metrics.registry.metrics();
    return context.body(body, 200, { 'content-type': metrics.registry.contentType });
  });
}
