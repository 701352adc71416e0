/**
 * @module server/routes/openapi
 * `GET /openapi.json`: the API described as OpenAPI 3.1, built once from the route registry and
 * narrowed to the routes this server mounts. The web UI reads it to find optional features (an app's
 * routes such as the support app's are there only when the app is mounted).
 */
import { Hono } from 'hono';
import type { ServerEnv } from '../identity.ts';
import { createOpenAPIDocument } from '../openapi/document.ts';

/** A mounted route as Hono lists it (`app.routes`). */
export interface MountedRoute {
  readonly method: string;
  readonly path: string;
}

/**
 * Routes. `mounted` lists what the server serves; it is read at the first request, once every route
 * (an app's too) is registered. Without it the whole registry is described.
 */
export function openAPIRoutes(mounted?: () => readonly MountedRoute[]) {
  let document: ReturnType<typeof createOpenAPIDocument> | undefined;
  return new Hono<ServerEnv>().get('/openapi.json', (context) => {
    if (!document) {
      const served = mounted
        ? new Set(mounted().map((route) => `${route.method.toLowerCase()} ${route.path}`))
        : undefined;
      document = createOpenAPIDocument(served && ((route) => served.has(`${route.method} ${route.path}`)));
    }
    return context.json(document);
  });
}
