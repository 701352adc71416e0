/**
 * @module server/routes/feedback
 * `POST /v1/feedback`: a customer rates an answer by its trace id. Operators list ratings (by rating,
 * category and time) and export negative ones as JSON lines (`GET /v1/feedback/export`) with the
 * question, the answer, the cited passages and the prompt version.
 */
import { z } from 'zod';
import type { FeedbackService } from '../../feedback/feedback-service.ts';
import { MAX_EXPORT } from '../../feedback/feedback-service.ts';
import { UNKNOWN_USER } from '../../observability/answer-recorder.ts';
import { feedbackBodySchema, feedbackListSchema } from '../openapi/llmops-responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith, readJson } from '../validate.ts';

const category = z.string().trim().min(1).max(100);

/** `POST /v1/feedback`. */
export const feedbackRequestSchema = z
  .object({
    /** The answer's `traceId`. */
    traceId: z.string().min(1).max(100),
    rating: z.enum(['up', 'down']),
    comment: z.string().max(4000).optional(),
    /** A free label for triage, e.g. `wrong`, `incomplete`, `outdated`. */
    category: category.optional(),
  })
  .strict();

const range = {
  category: category.optional(),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
};

/** Query of `GET /v1/feedback`. */
export const feedbackListQuerySchema = z
  .object({
    ...range,
    rating: z.enum(['up', 'down']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(100),
  })
  .strict();

/** Query of `GET /v1/feedback/export`. */
export const feedbackExportQuerySchema = z
  .object({ ...range, limit: z.coerce.number().int().min(1).max(MAX_EXPORT).optional() })
  .strict();

/** The query with its ISO times as dates. */
function withDates<Query extends { from?: string; to?: string }>({ from, to, ...rest }: Query) {
  return { ...rest, from: from ? new Date(from) : undefined, to: to ? new Date(to) : undefined };
}

/** The routes, as they declare themselves (server/route-spec.ts). */
const FEEDBACK_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/feedback',
    tag: 'feedback',
    summary:
      'Rate an answer by its trace id (a second rating by the same caller replaces theirs; other users keep their own).',
    access: 'customer',
    request: { json: feedbackRequestSchema },
    responses: { 201: ok(feedbackBodySchema, 'Stored.') },
  },
  {
    method: 'get',
    path: '/v1/feedback',
    tag: 'feedback',
    summary:
      'Ratings with their answers, newest first, filtered by rating, category and time (questions PII-scrubbed; passages the caller may not read withheld).',
    access: 'operator',
    request: { query: feedbackListQuerySchema },
    responses: { 200: ok(feedbackListSchema) },
  },
  {
    method: 'get',
    path: '/v1/feedback/export',
    tag: 'feedback',
    summary:
      'Negative feedback as JSON lines (`application/x-ndjson`): question, answer, cited passages, prompt version.',
    access: 'operator',
    request: { query: feedbackExportQuerySchema },
    responses: { 200: { description: 'One JSON object per line.' } },
  },
];

/** Routes. */
export function feedbackRoutes(feedback: FeedbackService) {
  return declareRoutes(FEEDBACK_ROUTES)
    .post('/v1/feedback', async (context) => {
      const body = await readJson(context, feedbackRequestSchema);
      const identity = context.get('identity');
      const stored = await feedback.submit(identity.tenantId, identity.keyId ?? UNKNOWN_USER, body);
      return context.json({ feedback: stored }, 201);
    })
    .get('/v1/feedback', async (context) => {
      const query = parseWith(feedbackListQuerySchema, context.req.query(), 'invalid_query');
      const identity = context.get('identity');
      const rows = await feedback.list(identity.tenantId, withDates(query), identity.principals);
      return context.json({ feedback: rows });
    })
    .get('/v1/feedback/export', async (context) => {
      const query = parseWith(feedbackExportQuerySchema, context.req.query(), 'invalid_query');
      const identity = context.get('identity');
      const lines = await feedback.exportNegative(identity.tenantId, withDates(query), identity.principals);
      return context.body(lines, 200, { 'content-type': 'application/x-ndjson; charset=utf-8' });
    });
}
