/**
 * @module server/budget-check
 * Refuses answer requests of a tenant over its monthly budget with 429 `budget_exceeded` before any
 * retrieval or model call, in the error shape the route declares (OpenAI's for `/v1/chat/completions`), with
 * `Retry-After` set to when the budget resets.
 */
import type { MiddlewareHandler } from 'hono';
import { BudgetExceededError, type BudgetGuard } from '../observability/budgets.ts';
import type { ServerEnv } from './authenticate.ts';
import { handleError } from './http-error.ts';
import { handleOpenAIError } from './openai-error.ts';

/**
 * The middleware of a route that spends tokens (it declares `spendsTokens`), answering in the route's
 * error shape; it runs after authentication, so the tenant is known.
 */
export function checkBudget(
  budgets: Pick<BudgetGuard, 'assertWithin'>,
  errors: 'groundwork' | 'openai',
): MiddlewareHandler<ServerEnv> {
  return async (context, next) => {
    try {
      await budgets.assertWithin(context.get('identity').tenantId);
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      const resetsAt = Date.parse(String(error.details.resetsAt));
      context.header('retry-after', String(Math.max(1, Math.ceil((resetsAt - Date.now()) / 1000))));
      return errors === 'openai' ? handleOpenAIError(error, context) : handleError(error, context);
    }
    await next();
  };
}
