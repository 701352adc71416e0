/**
 * @module server/openapi/web-routes
 * The web UI's view of the routes (web/src/api/routes.gen.ts), generated from the declarations of the
 * routes a full server mounts (the support app's included). The web build has its own tsconfig and
 * does not import server code, so it gets the route list as generated types: a UI call to a route
 * that is renamed or removed fails `tsc -p web`. `test/web/web-routes.test.ts` fails when the file is
 * stale; regenerate it with `GROUNDWORK_WRITE_WEB_ROUTES=1 npx vitest run test/web/web-routes.test.ts`.
 */
import type { RouteSpec } from '../route-spec.ts';
import { toOpenAPIPath } from './document.ts';

/** Where the generated file lives, from the repository root. */
export const WEB_ROUTES_FILE = 'web/src/api/routes.gen.ts';

/** The file's text. */
export function renderWebRoutes(routes: readonly RouteSpec[]): string {
  const rows = [...routes]
    .map((route) => ({ key: `${route.method} ${toOpenAPIPath(route.path)}`, access: route.access }))
    .sort((a, b) => a.key.localeCompare(b.key));
  return [
    '/**',
    ' * Every route a full server can mount (`groundwork support` adds the support app), with the least',
    ' * role that may call it: generated from the routes’ own declarations (src/server/openapi/web-routes.ts).',
    ' * Do not edit; regenerate.',
    ' */',
    '',
    '/** The least role that may call each route, keyed `method path` as the OpenAPI document writes it. */',
    'export const API_ROUTES = {',
    ...rows.map((row) => `  '${row.key}': '${row.access}',`),
    '} as const;',
    '',
    '/** A route, `method path`. */',
    'export type ApiRoute = keyof typeof API_ROUTES;',
    '',
  ].join('\n');
}
