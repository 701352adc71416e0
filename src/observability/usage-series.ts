/**
 * @module observability/usage-series
 * Usage over time: the answer log's sums per time bucket (an hour or a day) and per group, in one
 * query. Buckets are fixed-width intervals counted from `from` (so a caller that starts at its own
 * midnight gets its own days, with no time zone on the server); the last one is cut at `to`. Every
 * bucket of the range is returned, empty ones too, so a chart needs no gap filling.
 */
import type { SqlExecutor } from '../store/database.ts';
import { SqlParams } from '../store/sql.ts';
import { GROUPS, SELECTS, SUMS, type UsageQuery, type UsageRow, type UsageTotals } from './usage.ts';

/** Bucket widths. */
export const USAGE_BUCKETS = { hour: 3_600_000, day: 86_400_000 } as const;

/** A bucket width's name. */
export type UsageBucket = keyof typeof USAGE_BUCKETS;

/** Most buckets one request may ask for (31 days of hours). */
export const MAX_USAGE_BUCKETS = 744;

/** One bucket: its bounds, its groups and their sum. */
export interface UsageBucketReport {
  readonly from: string;
  readonly to: string;
  readonly rows: readonly UsageRow[];
  readonly total: UsageTotals;
}

/** How many `bucket`-wide buckets cover [from, to). */
export function bucketCount(from: Date, to: Date, bucket: UsageBucket): number {
  return Math.ceil((to.getTime() - from.getTime()) / USAGE_BUCKETS[bucket]);
}

/** The sums of `query` per bucket, oldest first; the caller checks `bucketCount` first. */
export async function usageSeries(
  db: SqlExecutor,
  query: UsageQuery & { readonly bucket: UsageBucket },
): Promise<UsageBucketReport[]> {
  const width = USAGE_BUCKETS[query.bucket];
  const groupBy = [...new Set(query.groupBy)];
  const params = new SqlParams();
  const from = params.add(query.from);
  const where = `tenant_id = ${params.add(query.tenantId)} AND created_at >= ${from} AND created_at < ${params.add(query.to)}`;
  const index = `floor(extract(epoch FROM (created_at - ${from}::timestamptz)) * 1000 / ${params.add(width)})::int`;
  const { rows } = await db.query<UsageRow & { bucket: number }>(
    `SELECT ${index} AS bucket, ${[...groupBy.flatMap((dimension) => SELECTS[dimension]), SUMS].join(', ')}
     FROM answers WHERE ${where}
     GROUP BY ${['1', ...groupBy.flatMap((dimension) => GROUPS[dimension])].join(', ')}
     ORDER BY bucket, "costUsd" DESC, answers DESC`,
    params.values,
  );
  const byBucket = new Map<number, UsageRow[]>();
  for (const { bucket, ...row } of rows) {
    const list = byBucket.get(bucket);
    if (list) list.push(row);
    else byBucket.set(bucket, [row]);
  }
  const count = bucketCount(query.from, query.to, query.bucket);
  const start = query.from.getTime();
  return Array.from({ length: count }, (_, at) => {
    const inBucket = byBucket.get(at) ?? [];
    return {
      from: new Date(start + at * width).toISOString(),
      to: new Date(Math.min(start + (at + 1) * width, query.to.getTime())).toISOString(),
      rows: inBucket,
      total: sum(inBucket),
    };
  });
}

/** The groups of a bucket partition its answers, so their sums are the bucket's. */
function sum(rows: readonly UsageTotals[]): UsageTotals {
  return rows.reduce<UsageTotals>(
    (total, row) => ({
      answers: total.answers + row.answers,
      inputTokens: total.inputTokens + row.inputTokens,
      outputTokens: total.outputTokens + row.outputTokens,
      costUsd: total.costUsd + row.costUsd,
      unpricedAnswers: total.unpricedAnswers + row.unpricedAnswers,
    }),
    { answers: 0, inputTokens: 0, outputTokens: 0, costUsd: 0, unpricedAnswers: 0 },
  );
}
