/**
 * @module server/routes/traces
 * The traces API: the caller's tenant's traces, filtered and paged (`GET /v1/traces`), and one trace
 * as a span tree (`GET /v1/traces/:id`). Strictly tenant-scoped: another tenant's trace id is a 404,
 * as is an id that does not exist. Spans reach the store about a second after they end.
 */

import { InvalidRequestError, NotFoundError } from '../../errors.ts';
import { buildSpanTree } from '../../observability/span-tree.ts';
import type { TraceReader } from '../../observability/trace-reader.ts';
import type { TraceFilter } from '../../store/traces.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith } from '../validate.ts';
import { traceDetailSchema, traceListQuerySchema, traceListSchema } from './traces-schema.ts';

const DAY_MS = 24 * 60 * 60 * 1000;
const INVALID = 'invalid_trace_query';

/** The routes, as they declare themselves (server/route-spec.ts). */
const TRACE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/traces',
    tag: 'traces',
    summary: 'Recent traces of the caller’s tenant, newest first (`invalid_trace_query` for a bad filter).',
    access: 'operator',
    request: { query: traceListQuerySchema },
    responses: { 200: ok(traceListSchema) },
  },
  {
    method: 'get',
    path: '/v1/traces/:id',
    tag: 'traces',
    summary: 'One trace with its span tree (`trace_not_found`).',
    access: 'operator',
    responses: {
      200: ok(traceDetailSchema),
    },
  },
];

/** Routes; `retentionDays` bounds the time range a query may span. */
export function traceRoutes(traces: TraceReader, retentionDays: number) {
  return declareRoutes(TRACE_ROUTES)
    .get('/v1/traces', async (context) => {
      const query = parseWith(traceListQuerySchema, context.req.query(), INVALID);
      const filter = toFilter(query, retentionDays, Date.now());
      const page = await traces.list(context.get('identity').tenantId, filter);
      const last = page.length === filter.limit ? page.at(-1) : undefined;
      return context.json({
        traces: page,
        nextCursor: last ? encodeCursor(last.startedAt, last.traceId) : null,
      });
    })
    .get('/v1/traces/:id', async (context) => {
      const id = context.req.param('id').toLowerCase();
      const found = /^[0-9a-f]{32}$/.test(id)
        ? await traces.get(context.get('identity').tenantId, id)
        : undefined;
      if (!found) throw new NotFoundError('trace_not_found', 'No trace with that id.');
      return context.json({ trace: found.trace, spans: buildSpanTree(found.spans) });
    });
}

type TraceQuery = ReturnType<typeof traceListQuerySchema.parse>;

/** Checks what the schema cannot: the range, its order, and the cursor. */
function toFilter(query: TraceQuery, retentionDays: number, now: number): TraceFilter {
  const to = query.to ? Date.parse(query.to) : undefined;
  const from = query.from ? Date.parse(query.from) : undefined;
  if (from !== undefined && to !== undefined && from > to) {
    throw new InvalidRequestError(INVALID, '`from` is after `to`.');
  }
  if (from !== undefined && (to ?? now) - from > retentionDays * DAY_MS) {
    throw new InvalidRequestError(
      INVALID,
      `The range is longer than the ${retentionDays}-day trace retention; nothing older is kept.`,
    );
  }
  if (
    query.minDurationMs !== undefined &&
    query.maxDurationMs !== undefined &&
    query.minDurationMs > query.maxDurationMs
  ) {
    throw new InvalidRequestError(INVALID, '`minDurationMs` is above `maxDurationMs`.');
  }
  return {
    from,
    to,
    route: query.route,
    principal: query.user,
    status: query.status,
    minDurationMs: query.minDurationMs,
    maxDurationMs: query.maxDurationMs,
    after: query.cursor ? decodeCursor(query.cursor) : undefined,
    limit: query.limit,
  };
}

function encodeCursor(startedAt: string, traceId: string): string {
  return Buffer.from(`${Date.parse(startedAt)}:${traceId}`).toString('base64url');
}

function decodeCursor(cursor: string): { startedAt: number; traceId: string } {
  const match = /^(\d{1,15}):([0-9a-f]{32})$/.exec(Buffer.from(cursor, 'base64url').toString());
  if (!match) throw new InvalidRequestError(INVALID, '`cursor` is not one this API issued.');
  return { startedAt: Number(match[1]), traceId: match[2] as string };
}
