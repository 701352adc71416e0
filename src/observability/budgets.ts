/**
 * @module observability/budgets
 * Monthly per-tenant budgets in USD and/or tokens, checked against the answer log before an answer is
 * produced. Months are calendar months in UTC. The check reads the log, so it holds across processes;
 * an answer already running when the budget runs out still completes, so spend can pass the budget by
 * the answers in flight.
 */

import { GroundworkError } from '../errors.ts';
import { type AnswerLogReader, UNBATCHED_ANSWER_LOG } from '../spec/answer-log.ts';
import { spendSince } from '../store/answers.ts';
import type { SqlExecutor } from '../store/database.ts';

/** A tenant's monthly budget; at least one limit is set. */
export interface TenantBudget {
  readonly monthlyUsd?: number;
  readonly monthlyTokens?: number;
}

/** What a tenant spent this month and when the month ends. */
export interface BudgetStatus {
  readonly tenantId: string;
  readonly budget: TenantBudget;
  readonly spentUsd: number;
  readonly spentTokens: number;
  readonly resetsAt: Date;
  readonly exceeded: boolean;
}

/** A tenant over its monthly budget; the HTTP edge answers 429. */
export class BudgetExceededError extends GroundworkError {
  constructor(status: BudgetStatus) {
    const limits = [
      status.budget.monthlyUsd !== undefined
        ? `USD ${status.spentUsd.toFixed(4)} of USD ${status.budget.monthlyUsd} spent`
        : '',
      status.budget.monthlyTokens !== undefined
        ? `${status.spentTokens} of ${status.budget.monthlyTokens} tokens used`
        : '',
    ].filter(Boolean);
    super({
      code: 'budget_exceeded',
      kind: 'limited',
      message: `Tenant ${status.tenantId} is over its monthly budget (${limits.join(', ')}); it resets at ${status.resetsAt.toISOString()}.`,
      category: 'user',
      details: {
        budget: status.budget,
        spentUsd: status.spentUsd,
        spentTokens: status.spentTokens,
        resetsAt: status.resetsAt.toISOString(),
      },
    });
    this.name = 'BudgetExceededError';
  }
}

/** Options of the budget guard. */
export interface BudgetGuardOptions {
  /** The answer log, which spending is read from (its batched writer flushes first). */
  readonly answers?: AnswerLogReader;
  /** The clock (tests move it across months). */
  readonly now?: () => Date;
}

/** Checks tenants' spend against their budgets. */
export class BudgetGuard {
  constructor(
    private readonly db: SqlExecutor,
    private readonly budgets: Readonly<Record<string, TenantBudget>>,
    private readonly options: BudgetGuardOptions = {},
  ) {}

  /** The tenant's status, or undefined when it has no budget. */
  async status(tenantId: string): Promise<BudgetStatus | undefined> {
    if (!Object.hasOwn(this.budgets, tenantId)) return undefined;
    const budget = this.budgets[tenantId]!;
    const now = this.options.now?.() ?? new Date();
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const resetsAt = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
    const answers = this.options.answers ?? UNBATCHED_ANSWER_LOG;
    const spent = await answers.read(() => spendSince(this.db, tenantId, monthStart));
    const exceeded =
      (budget.monthlyUsd !== undefined && spent.costUsd >= budget.monthlyUsd) ||
      (budget.monthlyTokens !== undefined && spent.tokens >= budget.monthlyTokens);
    return { tenantId, budget, spentUsd: spent.costUsd, spentTokens: spent.tokens, resetsAt, exceeded };
  }

  /** Throws `BudgetExceededError` when the tenant is over its budget. */
  async assertWithin(tenantId: string): Promise<void> {
    const status = await this.status(tenantId);
    if (status?.exceeded) throw new BudgetExceededError(status);
  }
}
