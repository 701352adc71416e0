/**
 * @module testing/declared-routes
 * Every route the HTTP API can serve, the support app's included, as the routes declare themselves
 * (server/route-spec.ts): read from a real app on an in-memory database with the support app
 * mounted, so tests that walk every route (fuzzing, the role matrix) see a new route without being
 * told of it.
 */
import { supportRoutes } from '../../apps/support/http.ts';
import { trainSupportRouter } from '../../apps/support/scenarios/runner.ts';
import { createSupportService } from '../../apps/support/service.ts';
import { createGroundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from '../server/app.ts';
import type { RouteSpec } from '../server/route-spec.ts';
import { mountedRoutes } from '../server/route-table.ts';

/** The declarations, in mount order. */
export async function declaredRoutes(): Promise<readonly RouteSpec[]> {
  const app = await createGroundwork(loadConfig({ dataDir: 'memory://' }));
  try {
    const support = createSupportService(app, {
      retriever: app.retriever,
      router: await trainSupportRouter(),
    });
    return mountedRoutes(createHttpApp(app, { webRoot: null, routes: [supportRoutes(support)] }));
  } finally {
    await app.close();
  }
}
