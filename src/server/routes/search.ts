/**
 * @module server/routes/search
 * `POST /v1/search`: hybrid retrieval with the caller's tenant and principals applied in the query.
 */
import { z } from 'zod';
import type { Retriever } from '../../retrieval/retriever.ts';
import { searchResultSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { readJson } from '../validate.ts';

/** Retrieval filters, as `/v1/search`, `/v1/ask` and `/v1/chat` accept them. */
export const retrievalFiltersSchema = z
  .object({
    uriPrefix: z.string().min(1).max(2000).optional(),
    documentIds: z.array(z.number().int().positive()).max(1000).optional(),
    metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
    mediaTypes: z.array(z.string().min(1).max(200)).max(20).optional(),
  })
  .strict();

/** The request body. */
export const searchRequestSchema = z
  .object({
    query: z
      .string()
      .max(4000)
      .refine((value) => value.trim().length > 0, 'must not be empty'),
    mode: z.enum(['lexical', 'vector', 'hybrid']).optional(),
    limit: z.number().int().min(1).max(100).default(10),
    filters: retrievalFiltersSchema.optional(),
  })
  .strict();

/** The routes, as they declare themselves (server/route-spec.ts). */
const SEARCH_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/search',
    tag: 'retrieval',
    summary: 'Hybrid retrieval.',
    access: 'customer',
    request: { json: searchRequestSchema },
    responses: { 200: ok(searchResultSchema) },
  },
];

/** Routes. */
export function searchRoutes(retriever: Retriever) {
  return declareRoutes(SEARCH_ROUTES).post('/v1/search', async (context) => {
    const body = await readJson(context, searchRequestSchema);
    const identity = context.get('identity');
    const result = await retriever.search({
      tenantId: identity.tenantId,
      principals: identity.principals,
      text: body.query,
      mode: body.mode,
      limit: body.limit,
      filters: body.filters,
    });
    return context.json(result);
  });
}
