/** Usage (admins): tokens and cost from the answer log. Mirrors src/observability/usage.ts. */
import type { ApiClient } from './http.ts';

/** Sums of one group. */
export interface UsageTotals {
  readonly answers: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Answers by a model without a price: `costUsd` is then a lower bound. */
  readonly unpricedAnswers: number;
}

/** One group. */
export type UsageRow = UsageTotals & { readonly tenant?: string; readonly model?: string | null };

/** A usage report. */
export interface UsageReport {
  readonly from: string;
  readonly to: string;
  readonly rows: readonly UsageRow[];
  readonly total: UsageTotals;
}

/** One time bucket of a usage report. */
export interface UsageBucketReport {
  readonly from: string;
  readonly to: string;
  readonly rows: readonly UsageRow[];
  readonly total: UsageTotals;
}

/** A usage report with its time series. */
export interface UsageSeries extends UsageReport {
  readonly bucket: 'hour' | 'day';
  /** Every bucket from `from`, oldest first, empty ones included. */
  readonly series: readonly UsageBucketReport[];
}

/** Usage over [from, to) grouped by model and tenant, in total and per `bucket` counted from `from`. */
export function getUsage(
  client: ApiClient,
  from: Date,
  to: Date,
  bucket: 'hour' | 'day',
  signal?: AbortSignal,
): Promise<UsageSeries> {
  const query = new URLSearchParams({
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy: 'model,tenant',
    bucket,
  });
  return client.json(`/v1/usage?${query}`, { signal });
}
