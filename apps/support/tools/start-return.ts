/**
 * @module support/tools/start-return
 * `start_return`: opens a return for a delivered order inside the return window. A refund above the
 * policy limit ($500, knowledge/policies/returns.md) needs a person's approval: `needsApproval` says
 * so before the call runs, and the return is recorded as awaiting approval even if a runner ignored it.
 */
import { z } from 'zod';
import type { AgentTool, ToolContext } from '../../../src/spec/agents.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';
import { existingReturns, findOrder, insertReturn, orderLines } from './orders-repository.ts';
import { failure, isFailure, orderNotFound, requireCustomer, type ToolOutcome } from './outcome.ts';

/** Return policy figures (from knowledge/policies/returns.md). */
export interface ReturnPolicy {
  readonly refundApprovalLimit: number;
  readonly windowDays: number;
  readonly clearanceWindowDays: number;
}

/** The published policy. */
export const RETURN_POLICY: ReturnPolicy = {
  refundApprovalLimit: 500,
  windowDays: 30,
  clearanceWindowDays: 14,
};

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

const DAY = 86_400_000;

/** Creates `start_return`; `now` is injectable so the window is testable. */
export function createStartReturnTool(
  db: SqlExecutor,
  options: { policy?: ReturnPolicy; now?: () => Date } = {},
): AgentTool<StartReturnInput, ToolOutcome<ReturnStarted>> {
  const policy = options.policy ?? RETURN_POLICY;
  const now = options.now ?? (() => new Date());
  const refundOf = async (orderNumber: string, context: ToolContext) => {
    const customer = requireCustomer(context);
    if (isFailure(customer)) return undefined;
    const lines = await orderLines(
      db,
      { tenantId: context.tenantId, customerId: customer.customerId },
      orderNumber,
    );
    return { lines, amount: lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0) };
  };
  return {
    name: 'start_return',
    description: `Starts a return and refund for a delivered order of the verified customer. Refunds above $${policy.refundApprovalLimit} wait for a team member's approval.`,
    inputSchema: input,
    async needsApproval({ orderNumber }, context) {
      const refund = await refundOf(orderNumber.trim().toUpperCase(), context);
      return (refund?.amount ?? 0) > policy.refundApprovalLimit;
    },
    async execute({ orderNumber: raw, reason }, context) {
      const customer = requireCustomer(context);
      if (isFailure(customer)) return customer;
      const owner = { tenantId: context.tenantId, customerId: customer.customerId };
      const orderNumber = raw.trim().toUpperCase();
      const order = await findOrder(db, owner, orderNumber);
      if (!order) return orderNotFound(orderNumber);
      if ((await existingReturns(db, owner, orderNumber)).length > 0 || order.status === 'returned') {
        return failure('already_returned', `A return for order ${orderNumber} is already open.`);
      }
      if (order.status !== 'delivered' || !order.deliveredAt) {
        return failure(
          'not_returnable',
          order.status === 'cancelled'
            ? `Order ${orderNumber} was cancelled, so there is nothing to return.`
            : `Order ${orderNumber} has not been delivered yet (status: ${order.status}). Unshipped orders can be cancelled instead; shipped ones can be returned after delivery.`,
        );
      }
      const refund = (await refundOf(orderNumber, context))!;
      const window = refund.lines.some((line) => line.clearance)
        ? policy.clearanceWindowDays
        : policy.windowDays;
      const age = (now().getTime() - new Date(order.deliveredAt).getTime()) / DAY;
      if (age > window) {
        return failure(
          'not_returnable',
          `Order ${orderNumber} was delivered ${Math.floor(age)} days ago, outside the ${window}-day return window.`,
        );
      }
      const status = refund.amount > policy.refundApprovalLimit ? 'awaiting_approval' : 'requested';
      const returnId = await insertReturn(db, owner, orderNumber, {
        status,
        reason,
        refundAmount: refund.amount,
      });
      if (returnId === undefined) return orderNotFound(orderNumber);
      return { ok: true, returnId, refundAmount: refund.amount, status };
    },
  };
}
