/**
 * @module support/tools/start-return
 * `start_return`: opens a return for a delivered order inside the return window. It changes state,
 * so it is a `write` tool: the runtime (or the routed policy) states the action and runs it only on
 * the customer's yes. Its `precheck` is the eligibility check, so neither the customer nor a person
 * is asked about a return that would be refused. A refund above the policy limit ($500,
 * knowledge/policies/returns.md) needs a person's approval: `needsApproval` says so before the call
 * runs, and the return is recorded as awaiting approval even if a runner ignored it.
 */
import { z } from 'zod';
import type { AgentTool } from '../../../src/spec/agents.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';
import { insertReturn } from './orders-repository.ts';
import { isFailure, orderNotFound, type ToolFailure, type ToolOutcome } from './outcome.ts';
import { checkReturn, describeReturn, RETURN_POLICY, type ReturnPolicy } from './return-eligibility.ts';

export { RETURN_POLICY, type ReturnPolicy } from './return-eligibility.ts';

const input = z.object({
  orderNumber: z.string().min(1).max(40),
  reason: z.string().min(1).max(500),
});

/** The tool's input. */
export type StartReturnInput = z.infer<typeof input>;

/** What a started return reports. */
export interface ReturnStarted {
  readonly returnId: number;
  readonly refundAmount: number;
  readonly status: 'requested' | 'awaiting_approval';
}

/** Creates `start_return`; `now` is injectable so the window is testable. */
export function createStartReturnTool(
  db: SqlExecutor,
  options: { policy?: ReturnPolicy; now?: () => Date } = {},
): AgentTool<StartReturnInput, ToolOutcome<ReturnStarted>> {
  const policy = options.policy ?? RETURN_POLICY;
  const check = { policy, now: options.now ?? (() => new Date()) };
  return {
    name: 'start_return',
    description: `Starts a return and refund for a delivered order of the verified customer. The customer is asked to confirm the exact return before it is opened. Refunds above $${policy.refundApprovalLimit} wait for a team member's approval.`,
    inputSchema: input,
    effect: 'write',
    async needsApproval({ orderNumber }, context) {
      const eligible = await checkReturn(db, context, orderNumber, check);
      return !isFailure(eligible) && eligible.needsApproval;
    },
    async precheck({ orderNumber }, context): Promise<ToolFailure | undefined> {
      const eligible = await checkReturn(db, context, orderNumber, check);
      return isFailure(eligible) ? eligible : undefined;
    },
    async describeAction({ orderNumber }, context) {
      const eligible = await checkReturn(db, context, orderNumber, check);
      if (isFailure(eligible)) throw new Error(eligible.message);
      return describeReturn(eligible, policy);
    },
    async execute({ orderNumber, reason }, context) {
      const eligible = await checkReturn(db, context, orderNumber, check);
      if (isFailure(eligible)) return eligible;
      const status = eligible.needsApproval ? 'awaiting_approval' : 'requested';
      const returnId = await insertReturn(db, eligible.owner, eligible.orderNumber, {
        status,
        reason,
        refundAmount: eligible.amount,
      });
      if (returnId === undefined) return orderNotFound(eligible.orderNumber);
      return { ok: true, returnId, refundAmount: eligible.amount, status };
    },
  };
}
