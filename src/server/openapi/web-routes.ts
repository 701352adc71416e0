/**
 * @module server/openapi/web-routes
 * The web UI's view of the routes (web/src/api/routes.gen.ts), generated from the declarations of the
 * routes a full server mounts (the support app's included). The web build has its own tsconfig and
 * does not import server code, so it gets the route list as generated types: a UI call to a route
 * that is renamed or removed fails `tsc -p web`. `test/web/web-routes.test.ts` fails when the file is
 * stale; regenerate it with `GROUNDWORK_WRITE_WEB_ROUTES=1 npx vitest run test/web/web-routes.test.ts`.
 */
import type { z } from 'zod';
import type { RouteSpec } from '../route-spec.ts';
import { schemaOf, toOpenAPIPath } from './document.ts';
import { jsonSchemaToTs } from './json-schema-to-ts.ts';

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
    '/** The JSON body of each route’s success response, as the route’s schema declares it. */',
    'export interface ApiResponses {',
    ...typed(
      routes,
      (route) => {
        const success = Object.entries(route.responses)
          .filter(([status, response]) => Number(status) < 300 && response.schema)
          .sort(([a], [b]) => Number(a) - Number(b))[0];
        return success?.[1].schema;
      },
      'output',
    ),
    '}',
    '',
    '/** The JSON request body of each route that reads one, as its schema accepts it. */',
    'export interface ApiRequests {',
    ...typed(routes, (route) => route.request?.json, 'input'),
    '}',
    '',
    '/** The success response of a route. */',
    'export type ApiResponse<R extends keyof ApiResponses> = ApiResponses[R];',
    '',
    '/** The request body of a route. */',
    'export type ApiRequest<R extends keyof ApiRequests> = ApiRequests[R];',
    '',
  ].join('\n');
}

/** `  'METHOD path': Type;` for every route `schemaFor` gives a schema, sorted by key. */
function typed(
  routes: readonly RouteSpec[],
  schemaFor: (route: RouteSpec) => z.ZodType | undefined,
  io: 'input' | 'output',
): string[] {
  return routes
    .flatMap((route) => {
      const schema = schemaFor(route);
      if (!schema) return [];
      const key = `${route.method} ${toOpenAPIPath(route.path)}`;
      return [{ key, type: jsonSchemaToTs(schemaOf(schema, io), '  ') }];
    })
    .sort((a, b) => a.key.localeCompare(b.key))
    .map(({ key, type }) => `  '${key}': ${type};`);
}
