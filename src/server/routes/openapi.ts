/**
 * @module server/routes/openapi
 * `GET /openapi.json`: the API described as OpenAPI 3.1, built once from the declarations of the
 * routes this server mounts. The web UI reads it to find optional features (an app's
 * routes such as the support app's are there only when the app is mounted).
 */
import { createOpenAPIDocument } from '../openapi/document.ts';
import { declareRoutes, type RouteSpec } from '../route-spec.ts';

const OPENAPI_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/openapi.json',
    tag: 'health',
    summary: 'This document.',
    access: 'public',
    responses: { 200: { description: 'OpenAPI 3.1.' } },
    body: 'none',
    timeout: false,
  },
];

/**
 * Routes. `mounted` lists the declarations of what the server serves; it is read at the first
 * request, once every route (an app's too) is mounted.
 */
export function openAPIRoutes(mounted: () => readonly RouteSpec[]) {
  let document: ReturnType<typeof createOpenAPIDocument> | undefined;
  return declareRoutes(OPENAPI_ROUTES).get('/openapi.json', (context) => {
    document ??= createOpenAPIDocument(mounted());
    return context.json(document);
  });
}
