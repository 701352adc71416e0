/**
 * @module server/routes/openapi
 * `GET /openapi.json`: the API described as OpenAPI 3.1, built once from the route registry.
 */
import { Hono } from 'hono';
import type { ServerEnv } from '../identity.ts';
import { createOpenAPIDocument } from '../openapi/document.ts';

/** Routes. */
export function openAPIRoutes() {
  let document: ReturnType<typeof createOpenAPIDocument> | undefined;
  return new Hono<ServerEnv>().get('/openapi.json', (context) => {
    document ??= createOpenAPIDocument();
    return context.json(document);
  });
}
