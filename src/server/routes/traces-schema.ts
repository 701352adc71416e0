/**
 * @module server/routes/traces-schema
 * The query of `GET /v1/traces` and the response bodies of the traces API (for the OpenAPI document).
 */
import { z } from 'zod';

/** Longest duration filter accepted (a day); larger numbers are a mistake, not a filter. */
const MAX_DURATION_MS = 86_400_000;

const duration = z.coerce.number().min(0).max(MAX_DURATION_MS);

/** Query of `GET /v1/traces`; the route also checks the range against the retention. */
export const traceListQuerySchema = z
  .object({
    from: z.iso
      .datetime({ offset: true })
      .optional()
      .meta({ description: 'ISO 8601; default: the retention.' }),
    to: z.iso.datetime({ offset: true }).optional().meta({ description: 'ISO 8601; default: now.' }),
    route: z.string().min(1).max(300).optional().meta({ description: 'Route template, e.g. `/v1/ask`.' }),
    user: z.string().min(1).max(300).optional().meta({ description: '`key:<id>` or `anonymous`.' }),
    status: z.enum(['ok', 'error']).optional(),
    minDurationMs: duration.optional(),
    maxDurationMs: duration.optional(),
    limit: z.coerce.number().int().min(1).max(200).default(50),
    cursor: z.string().min(1).max(200).optional().meta({ description: '`nextCursor` of the previous page.' }),
  })
  .strict();

const trace = z.object({
  traceId: z.string(),
  name: z.string().nullable(),
  route: z.string().nullable(),
  principal: z.string().nullable(),
  status: z.enum(['ok', 'error']),
  errorCode: z.string().nullable(),
  startedAt: z.string(),
  durationMs: z.number(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  costUsd: z.number().meta({ description: 'Sum of the model calls’ cost in USD, from the price table.' }),
  unpricedModelCalls: z
    .number()
    .int()
    .meta({ description: 'Model calls without a price; `costUsd` is a lower bound when above 0.' }),
});

/** `GET /v1/traces`. */
export const traceListSchema = z.object({ traces: z.array(trace), nextCursor: z.string().nullable() });

interface SpanShape {
  spanId: string;
  parentSpanId: string | null;
  name: string;
  kind: string;
  status: 'ok' | 'error' | 'unset';
  startedAt: string;
  durationMs: number;
  attributes: Record<string, unknown>;
  events: unknown[];
  costUsd: number | null;
  children: SpanShape[];
}

const span: z.ZodType<SpanShape> = z.lazy(() =>
  z.object({
    spanId: z.string(),
    parentSpanId: z.string().nullable(),
    name: z.string(),
    kind: z.string(),
    status: z.enum(['ok', 'error', 'unset']),
    startedAt: z.string(),
    durationMs: z.number(),
    attributes: z.record(z.string(), z.unknown()),
    events: z
      .array(z.unknown())
      .describe(
        'Events `{name, at, attributes, repeated?}` (`at` in epoch ms); a run of identical events is stored once, `repeated` times.',
      ),
    costUsd: z.number().nullable(),
    children: z.array(span),
  }),
);

/** `GET /v1/traces/:id`: the trace and its spans as a tree. */
export const traceDetailSchema = z.object({ trace, spans: z.array(span) });
