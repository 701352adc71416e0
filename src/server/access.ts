/**
 * @module server/access
 * Which role a request needs, looked up from the route registry (server/openapi/api-routes.ts), so the
 * role matrix, the OpenAPI document and the served routes cannot drift apart. A path the registry does
 * not know needs `admin`: access is denied by default.
 */
import { API_ROUTES, type RouteAccess } from './openapi/api-routes.ts';

interface CompiledRoute {
  readonly method: string;
  readonly pattern: RegExp;
  readonly access: RouteAccess;
}

const COMPILED: readonly CompiledRoute[] = API_ROUTES.map((route) => ({
  method: route.method.toUpperCase(),
  pattern: new RegExp(`^${route.path.replace(/\./g, '\\.').replace(/:[A-Za-z_][A-Za-z0-9_]*/g, '[^/]+')}/?$`),
  access: route.access,
}));

/** The access a request needs. */
export function accessOf(method: string, path: string): RouteAccess {
  // HEAD is answered by GET routes.
  const wanted = method === 'HEAD' ? 'GET' : method;
  return COMPILED.find((route) => route.method === wanted && route.pattern.test(path))?.access ?? 'admin';
}
