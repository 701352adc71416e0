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

/** Usage over [from, to) grouped by model and tenant. */
export function getUsage(
  client: ApiClient,
  from: Date,
  to: Date,
  signal?: AbortSignal,
): Promise<UsageReport> {
  const query = new URLSearchParams({
    from: from.toISOString(),
    to: to.toISOString(),
    groupBy: 'model,tenant',
  });
  return client.json(`/v1/usage?${query}`, { signal });
}
