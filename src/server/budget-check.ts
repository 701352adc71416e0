/**
 * @module server/budget-check
 * Refuses answer requests of a tenant over its monthly budget with 429 `budget_exceeded` before any
 * retrieval or model call, in the error shape of the route (OpenAI's for `/v1/chat/completions`), with
 * `Retry-After` set to when the budget resets.
 */
import type { MiddlewareHandler } from 'hono';
import { BudgetExceededError, type BudgetGuard } from '../observability/budgets.ts';
import { handleError } from './http-error.ts';
import type { ServerEnv } from './identity.ts';
import { handleOpenAIError } from './openai-error.ts';

/** Paths that spend tokens. */
export const ANSWER_PATHS = ['/v1/ask', '/v1/chat', '/v1/chat/completions'] as const;

/** The middleware; it runs after authentication, so the tenant is known. */
export function checkBudget(budgets: Pick<BudgetGuard, 'assertWithin'>): MiddlewareHandler<ServerEnv> {
  return async (context, next) => {
    if (context.req.method !== 'POST') return next();
    try {
      await budgets.assertWithin(context.get('identity').tenantId);
    } catch (error) {
      if (!(error instanceof BudgetExceededError)) throw error;
      const resetsAt = Date.parse(String(error.details.resetsAt));
      context.header('retry-after', String(Math.max(1, Math.ceil((resetsAt - Date.now()) / 1000))));
      return context.req.path === '/v1/chat/completions'
        ? handleOpenAIError(error, context)
        : handleError(error, context);
    }
    await next();
  };
}
