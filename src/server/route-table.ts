/**
 * @module server/route-table
 * The routes a server mounts, with their declarations (server/route-spec.ts). Mounting a module checks
 * that its declarations and its handlers match one for one, so a route cannot be served undeclared
 * nor declared unserved. Everything that depends on the route is read from here: the role a request
 * needs (a path nobody declared needs `admin`: access is denied by default), the error shape it
 * answers in, and the per-route middleware its declaration asks for.
 */
import type { Hono, MiddlewareHandler } from 'hono';
import type { RouteAccess } from '../identity/roles.ts';
import type { ServerEnv } from './authenticate.ts';
import { declarationsOf, type RouteSpec } from './route-spec.ts';

interface Compiled {
  readonly spec: RouteSpec;
  readonly method: string;
  /** The path with an optional trailing slash, as the access check has always read it. */
  readonly loose: RegExp;
  readonly exact: RegExp;
  /** Static segments count before parameters: `/v1/inbox/events` wins over `/v1/inbox/:id`. */
  readonly rank: string;
}

const PARAMETER = /:[A-Za-z_][A-Za-z0-9_]*/g;

const TABLES = new WeakMap<object, RouteTable>();

/** The route table of an HTTP app built by `createHttpApp`. */
export function routeTableOf(http: Hono<ServerEnv>): RouteTable {
  const table = TABLES.get(http);
  if (!table) throw new Error('Not an HTTP app built by createHttpApp.');
  return table;
}

/** The declarations of the routes an HTTP app mounts, in mount order. */
export function mountedRoutes(http: Hono<ServerEnv>): readonly RouteSpec[] {
  return routeTableOf(http).routes;
}

/** The mounted routes of one HTTP app. */
export class RouteTable {
  readonly #compiled: Compiled[] = [];
  readonly #http: Hono<ServerEnv>;
  /** The declaration each request in flight was matched to, so the per-route middleware look it up once. */
  readonly #matched = new WeakMap<Request, RouteSpec | null>();

  constructor(http: Hono<ServerEnv>) {
    this.#http = http;
    TABLES.set(http, this);
  }

  /** Every declaration mounted so far, in mount order. */
  get routes(): readonly RouteSpec[] {
    return this.#compiled.map((entry) => entry.spec);
  }

  /** Mounts a route module built on `declareRoutes`; throws when declarations and handlers differ. */
  mount(routes: Hono<ServerEnv>): void {
    const specs = declarationsOf(routes);
    if (!specs)
      throw new Error('A route module must declare its routes (server/route-spec.ts declareRoutes).');
    const served = new Set(
      routes.routes.filter((route) => route.method !== 'ALL').map((route) => `${route.method} ${route.path}`),
    );
    const declared = new Set(specs.map((spec) => `${spec.method.toUpperCase()} ${spec.path}`));
    const undeclared = [...served].filter((route) => !declared.has(route));
    const unserved = [...declared].filter((route) => !served.has(route));
    if (undeclared.length > 0 || unserved.length > 0 || declared.size !== specs.length) {
      throw new Error(
        `Route declarations and handlers differ: undeclared [${undeclared.join(', ')}], unserved [${unserved.join(', ')}]${declared.size !== specs.length ? ', a route declared twice' : ''}.`,
      );
    }
    for (const spec of specs) {
      const source = spec.path.replace(/\./g, '\\.').replace(PARAMETER, '[^/]+');
      this.#compiled.push({
        spec,
        method: spec.method.toUpperCase(),
        loose: new RegExp(`^${source}/?$`),
        exact: new RegExp(`^${source}$`),
        rank: spec.path
          .split('/')
          .map((segment) => (segment.startsWith(':') ? '1' : '0'))
          .join(''),
      });
    }
    this.#http.route('/', routes);
  }

  /** The declaration a request is served by (HEAD by the GET route), if any. */
  find(method: string, path: string): RouteSpec | undefined {
    const wanted = method === 'HEAD' ? 'GET' : method;
    let best: Compiled | undefined;
    for (const entry of this.#compiled) {
      if (entry.method !== wanted || !entry.loose.test(path)) continue;
      if (!best || entry.rank < best.rank) best = entry;
    }
    return best?.spec;
  }

  /** The role a request needs; `admin` for what no route declares. */
  accessOf(method: string, path: string): RouteAccess {
    return this.find(method, path)?.access ?? 'admin';
  }

  /**
   * The error shape of a path, whatever the method: OpenAI's where a route there answers in it, so
   * OpenAI clients get their typed errors even from the middleware that runs before the route.
   */
  errorsOf(path: string): 'groundwork' | 'openai' {
    return this.#compiled.some((entry) => entry.spec.errors === 'openai' && entry.exact.test(path))
      ? 'openai'
      : 'groundwork';
  }

  /**
   * Middleware that runs, for each request, what `build` makes of its route's declaration (built
   * once per route); requests no route declares pass through.
   */
  perRoute(
    build: (spec: RouteSpec) => MiddlewareHandler<ServerEnv> | undefined,
  ): MiddlewareHandler<ServerEnv> {
    const built = new Map<RouteSpec, MiddlewareHandler<ServerEnv> | undefined>();
    return async (context, next) => {
      const request = context.req.raw;
      let spec = this.#matched.get(request);
      if (spec === undefined) {
        spec = this.find(context.req.method, context.req.path) ?? null;
        this.#matched.set(request, spec);
      }
      if (!spec) return next();
      if (!built.has(spec)) built.set(spec, build(spec));
      const middleware = built.get(spec);
      return middleware ? middleware(context, next) : next();
    };
  }
}
