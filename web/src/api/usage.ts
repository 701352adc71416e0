/** Usage (admins): tokens and cost from the answer log. */
import type { ApiClient } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';

/** A usage report (`bucket` and `series` only when a bucket was asked for). */
export type UsageReport = ApiResponse<'get /v1/usage'>;

/** Sums of one group; `costUsd` is a lower bound when `unpricedAnswers` is above 0. */
export type UsageTotals = UsageReport['total'];

/** One group: the values of the dimensions grouped by, then its sums. */
export type UsageRow = UsageReport['rows'][number];

/** One time bucket of a usage report. */
export type UsageBucketReport = NonNullable<UsageReport['series']>[number];

/** A usage report asked with a bucket: every bucket from `from`, oldest first, empty ones included. */
export type UsageSeries = UsageReport & Required<Pick<UsageReport, 'bucket' | 'series'>>;

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
