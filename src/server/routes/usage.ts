/**
 * @module server/routes/usage
 * `GET /v1/usage`: tokens and cost of the caller's tenant from the answer log, over a time range
 * (default: this calendar month, UTC) and grouped by any of tenant, user, conversation, model and
 * prompt version; with `bucket=hour|day`, also as a time series of those groups (`series`), at most
 * `MAX_USAGE_BUCKETS` buckets (more is 400 `too_many_buckets`).
 */
import { z } from 'zod';
import { InvalidRequestError } from '../../errors.ts';
import { USAGE_DIMENSIONS, type UsageDimension } from '../../observability/usage.ts';
import {
  bucketCount,
  MAX_USAGE_BUCKETS,
  USAGE_BUCKETS,
  type UsageBucket,
} from '../../observability/usage-series.ts';
import type { UsageService } from '../../observability/usage-service.ts';
import { usageReportSchema } from '../openapi/llmops-responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith } from '../validate.ts';

const dimensions = z
  .string()
  .transform((value) => value.split(',').map((part) => part.trim()))
  .pipe(z.array(z.enum(USAGE_DIMENSIONS)).min(1).max(USAGE_DIMENSIONS.length));

/** Query of `GET /v1/usage`. */
export const usageQuerySchema = z
  .object({
    /** Start of the range (inclusive), ISO 8601; default the first of this month, UTC. */
    from: z.iso.datetime({ offset: true }).optional(),
    /** End of the range (exclusive), ISO 8601; default now. */
    to: z.iso.datetime({ offset: true }).optional(),
    /** Comma-separated: tenant, user, conversation, model, promptVersion; default `model`. */
    groupBy: dimensions.optional(),
    /** With it, the report also has `series`: the same groups per hour or day, counted from `from`. */
    bucket: z
      .enum(Object.keys(USAGE_BUCKETS) as [UsageBucket, ...UsageBucket[]])
      .optional()
      .meta({
        description: `\`hour\` or \`day\`: adds \`series\`, one entry per bucket from \`from\` (the last cut at \`to\`); at most ${MAX_USAGE_BUCKETS} buckets.`,
      }),
  })
  .strict();

/** The routes, as they declare themselves (server/route-spec.ts). */
const USAGE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/usage',
    tag: 'usage',
    summary:
      'Tokens and cost from the answer log over a time range, grouped by tenant, user, conversation, model or prompt version.',
    access: 'admin',
    request: { query: usageQuerySchema },
    responses: { 200: ok(usageReportSchema) },
  },
];

/** Routes. */
export function usageRoutes(usage: Pick<UsageService, 'report'>) {
  return declareRoutes(USAGE_ROUTES).get('/v1/usage', async (context) => {
    const query = parseWith(usageQuerySchema, context.req.query(), 'invalid_query');
    const now = new Date();
    const from = query.from
      ? new Date(query.from)
      : new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const to = query.to ? new Date(query.to) : new Date(now.getTime() + 1);
    if (from >= to) throw new InvalidRequestError('invalid_query', '`from` must be before `to`.');
    const groupBy: UsageDimension[] = query.groupBy ?? ['model'];
    const { bucket } = query;
    if (bucket && bucketCount(from, to, bucket) > MAX_USAGE_BUCKETS) {
      throw new InvalidRequestError(
        'too_many_buckets',
        `The range holds ${bucketCount(from, to, bucket)} ${bucket} buckets; at most ${MAX_USAGE_BUCKETS} are returned. Narrow the range or use a wider bucket.`,
        { buckets: bucketCount(from, to, bucket), max: MAX_USAGE_BUCKETS },
      );
    }
    // The service flushes the answer log first, so an answer given just before is counted.
    return context.json(
      await usage.report({ tenantId: context.get('identity').tenantId, from, to, groupBy, bucket }),
    );
  });
}
