/**
 * @module observability/usage-service
 * Tokens and cost from the answer log, for the usage API (and anything else that reports usage). The
 * answer log writes in batches, so a report flushes it first: an answer given just before the report
 * is counted. Reports only read, so the database handed in may be a read replica.
 */
import type { SqlExecutor } from '../spec/database.ts';
import { type UsageQuery, type UsageReport, usageReport } from './usage.ts';
import { type UsageBucket, type UsageBucketReport, usageSeries } from './usage-series.ts';

/** A usage report, with its time series when a bucket was asked for. */
export type UsageReportWithSeries = UsageReport & {
  readonly bucket?: UsageBucket;
  readonly series?: readonly UsageBucketReport[];
};

/** Usage reports of the answer log. */
export class UsageService {
  /** `beforeRead` writes what the answer log still holds in memory. */
  constructor(
    private readonly db: SqlExecutor,
    private readonly beforeRead?: () => Promise<void>,
  ) {}

  /** The sums of `query`; with `bucket`, also per bucket (the caller checks `bucketCount` first). */
  async report(query: UsageQuery & { readonly bucket?: UsageBucket }): Promise<UsageReportWithSeries> {
    await this.beforeRead?.();
    const { bucket, ...usage } = query;
    const report = await usageReport(this.db, usage);
    if (!bucket) return report;
    return { ...report, bucket, series: await usageSeries(this.db, { ...usage, bucket }) };
  }
}
