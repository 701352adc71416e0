/**
 * @module observability/usage
 * Token and cost usage from the answer log, summed over a time range and grouped by any of tenant,
 * user, conversation, model and prompt version. Dimensions map to fixed columns, never to caller text.
 */
import type { SqlExecutor } from '../store/database.ts';
import { SqlParams } from '../store/sql.ts';

/** What usage can be grouped by. */
export const USAGE_DIMENSIONS = ['tenant', 'user', 'conversation', 'model', 'promptVersion'] as const;

/** One grouping dimension. */
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

/** A usage question. */
export interface UsageQuery {
  readonly tenantId: string;
  readonly from: Date;
  readonly to: Date;
  readonly groupBy: readonly UsageDimension[];
}

/** Sums of one group. */
export interface UsageTotals {
  readonly answers: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly costUsd: number;
  /** Answers by a model without a price: `costUsd` is a lower bound when this is above 0. */
  readonly unpricedAnswers: number;
}

/** One group: its dimension values, then its sums. */
export type UsageRow = UsageTotals & {
  readonly tenant?: string;
  readonly user?: string;
  readonly conversation?: string | null;
  readonly model?: string | null;
  readonly promptName?: string | null;
  readonly promptVersion?: number | null;
};

/** The answer to a usage question. */
export interface UsageReport {
  readonly from: string;
  readonly to: string;
  readonly groupBy: readonly UsageDimension[];
  readonly rows: readonly UsageRow[];
  readonly total: UsageTotals;
}

/** Columns selected per dimension (fixed SQL, never caller text). */
export const SELECTS: Record<UsageDimension, string[]> = {
  tenant: ['tenant_id AS tenant'],
  user: ['user_id AS "user"'],
  conversation: ['conversation_id::text AS conversation'],
  model: ['model'],
  promptVersion: ['prompt_name AS "promptName"', 'prompt_version AS "promptVersion"'],
};
/** Columns grouped by per dimension. */
export const GROUPS: Record<UsageDimension, string[]> = {
  tenant: ['tenant_id'],
  user: ['user_id'],
  conversation: ['conversation_id'],
  model: ['model'],
  promptVersion: ['prompt_name', 'prompt_version'],
};
/** The sums of a group, as `UsageTotals`. */
export const SUMS = `count(*)::int AS answers, coalesce(sum(input_tokens), 0)::float8 AS "inputTokens",
  coalesce(sum(output_tokens), 0)::float8 AS "outputTokens", coalesce(sum(cost_usd), 0)::float8 AS "costUsd",
  (count(*) FILTER (WHERE NOT priced))::int AS "unpricedAnswers"`;

/** Sums usage for `query`, largest cost first. */
export async function usageReport(db: SqlExecutor, query: UsageQuery): Promise<UsageReport> {
  const groupBy = [...new Set(query.groupBy)];
  const params = new SqlParams();
  const where = `tenant_id = ${params.add(query.tenantId)} AND created_at >= ${params.add(query.from)} AND created_at < ${params.add(query.to)}`;
  const selects = groupBy.flatMap((dimension) => SELECTS[dimension]);
  const groups = groupBy.flatMap((dimension) => GROUPS[dimension]);
  const { rows } = await db.query<UsageRow>(
    `SELECT ${[...selects, SUMS].join(', ')} FROM answers WHERE ${where}
     ${groups.length > 0 ? `GROUP BY ${groups.join(', ')}` : ''}
     ORDER BY "costUsd" DESC, answers DESC`,
    params.values,
  );
  const total = await db.query<UsageTotals>(`SELECT ${SUMS} FROM answers WHERE ${where}`, params.values);
  return {
    from: query.from.toISOString(),
    to: query.to.toISOString(),
    groupBy,
    rows: groups.length > 0 ? rows : [],
    total: total.rows[0]!,
  };
}
