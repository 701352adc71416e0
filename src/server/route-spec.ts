/**
 * @module server/route-spec
 * How a route declares itself, next to its handler: method, path, the least role that may call it,
 * its request and response schemas, its error shape, and the per-route options (body limit, request
 * timeout, token spending). The OpenAPI document, the access check and the per-route middleware are
 * all read from the declarations of the routes a server mounts (server/route-table.ts), so there is
 * no second route table to keep in step. A module builds its routes on `declareRoutes(specs)`, and
 * mounting checks that its declarations and its handlers match one for one.
 */
import { Hono } from 'hono';
import type { z } from 'zod';
import type { RouteAccess } from '../identity/roles.ts';
import type { ServerEnv } from './authenticate.ts';

/** One documented response; `stream` adds a `text/event-stream` variant described in words. */
export interface RouteResponse {
  readonly description: string;
  readonly schema?: z.ZodType;
  readonly stream?: string;
}

/** What a route reads: a JSON or multipart body, and query parameters. */
export interface RouteRequest {
  readonly json?: z.ZodType;
  readonly multipart?: z.ZodType;
  readonly query?: z.ZodObject;
  /** False when the JSON body may be left out. */
  readonly bodyRequired?: boolean;
}

/** One route as it declares itself. `path` is written as Hono writes it (`/v1/jobs/:id`). */
export interface RouteSpec {
  readonly method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  readonly path: string;
  /** The OpenAPI tag (a group of routes in the document). */
  readonly tag: string;
  readonly summary: string;
  readonly access: RouteAccess;
  readonly request?: RouteRequest;
  readonly responses: Readonly<Record<number, RouteResponse>>;
  /** Which error body the route answers with: ours (the default), or OpenAI's. */
  readonly errors?: 'groundwork' | 'openai';
  /**
   * How the request body is bounded before the handler runs: `json` (the default) refuses bodies
   * above 1 MiB with 413 before reading them; `streamed` leaves the limits to the handler (uploads
   * enforce theirs as the body arrives); `none` adds no limit (probes outside `/v1`).
   */
  readonly body?: 'json' | 'streamed' | 'none';
  /**
   * False when the route is not abandoned after the request timeout: live event streams, and the
   * probes outside `/v1`. Default true.
   */
  readonly timeout?: boolean;
  /**
   * True when the route spends answer tokens: the tenant's budget is checked before it runs (429
   * `budget_exceeded`), and a key's token quota applies to it.
   */
  readonly spendsTokens?: boolean;
}

/** A JSON response. */
export function ok(schema: z.ZodType, description = 'OK.'): RouteResponse {
  return { description, schema };
}

const DECLARED = new WeakMap<object, readonly RouteSpec[]>();

/**
 * A Hono app for the routes `specs` declares; add one handler per declaration to it. Its
 * declarations are read back with `declarationsOf` when it is mounted.
 */
export function declareRoutes(specs: readonly RouteSpec[]): Hono<ServerEnv> {
  const routes = new Hono<ServerEnv>();
  DECLARED.set(routes, specs);
  return routes;
}

/** The declarations a route module was built with; undefined for a plain Hono app. */
export function declarationsOf(routes: object): readonly RouteSpec[] | undefined {
  return DECLARED.get(routes);
}
