/**
 * Usage over time: one `GET /v1/usage` with `bucket=hour|day` gives the whole range (the by-model and
 * by-tenant tables) and every bucket of it (the charts). Buckets count from `from`, which the page
 * sets to a whole local hour or midnight, so days are the viewer's days (a day that changes the
 * clock for daylight saving is off by that hour).
 */
import type { ApiClient } from '../../api/http.ts';
import {
  getUsage,
  type UsageBucketReport,
  type UsageReport,
  type UsageRow,
  type UsageTotals,
} from '../../api/usage.ts';

/** The ranges the page offers. */
export const RANGES = {
  day: { label: 'Last 24 hours', buckets: 24, unit: 'hour' },
  week: { label: 'Last 7 days', buckets: 7, unit: 'day' },
  month: { label: 'Last 30 days', buckets: 30, unit: 'day' },
} as const;

export type RangeName = keyof typeof RANGES;

/** One bucket's report. */
export interface Bucket {
  readonly from: Date;
  readonly to: Date;
  readonly report: UsageBucketReport;
}

/** The buckets of `range` ending now, oldest first: whole hours or local days. */
export function bucketEdges(range: RangeName, now = new Date()): Date[] {
  const { buckets, unit } = RANGES[range];
  const end = new Date(now);
  if (unit === 'hour') end.setMinutes(60, 0, 0);
  else end.setHours(24, 0, 0, 0);
  const edges: Date[] = [];
  for (let index = buckets; index >= 0; index--) {
    const edge = new Date(end);
    if (unit === 'hour') edge.setHours(end.getHours() - index);
    else edge.setDate(end.getDate() - index);
    edges.push(edge);
  }
  return edges;
}

/** Every bucket's report and the whole range's, in one request. */
export async function loadUsage(
  client: ApiClient,
  range: RangeName,
  signal: AbortSignal,
): Promise<{ buckets: Bucket[]; whole: UsageReport }> {
  const edges = bucketEdges(range);
  const whole = await getUsage(client, edges[0]!, edges.at(-1)!, RANGES[range].unit, signal);
  const buckets = whole.series.map((report) => ({
    from: new Date(report.from),
    to: new Date(report.to),
    report,
  }));
  return { buckets, whole };
}

/** Rows summed by one dimension (the report groups by model and tenant together). */
export function sumBy(
  rows: readonly UsageRow[],
  key: 'model' | 'tenant',
): (UsageTotals & { name: string })[] {
  const sums = new Map<string, UsageTotals & { name: string }>();
  for (const row of rows) {
    const name = row[key] ?? '(none)';
    const sum = sums.get(name) ?? {
      name,
      answers: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      unpricedAnswers: 0,
    };
    sums.set(name, {
      name,
      answers: sum.answers + row.answers,
      inputTokens: sum.inputTokens + row.inputTokens,
      outputTokens: sum.outputTokens + row.outputTokens,
      costUsd: sum.costUsd + row.costUsd,
      unpricedAnswers: sum.unpricedAnswers + row.unpricedAnswers,
    });
  }
  return [...sums.values()].sort((a, b) => b.costUsd - a.costUsd || b.answers - a.answers);
}
