/**
 * @module support/tools/return-eligibility
 * Whether an order of the verified customer may be returned now, and what the refund would be: the
 * one check `start_return` runs before the customer is asked to confirm, before a person is asked to
 * approve, and again when it finally runs. Reads only.
 */
import type { ToolContext } from '../../../src/spec/agents.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';
import { existingReturns, findOrder, type OrderLine, orderLines } from './orders-repository.ts';
import { failure, isFailure, orderNotFound, requireCustomer, type ToolFailure } from './outcome.ts';

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

/** An order that may be returned, with the refund it would get. */
export interface EligibleReturn {
  readonly owner: { readonly tenantId: string; readonly customerId: string };
  readonly orderNumber: string;
  readonly lines: readonly OrderLine[];
  readonly amount: number;
  /** Above the limit: a person approves the refund first. */
  readonly needsApproval: boolean;
}

const DAY = 86_400_000;

/** Checks the order; the failure is safe to show the customer. */
export async function checkReturn(
  db: SqlExecutor,
  context: ToolContext,
  rawOrderNumber: string,
  options: { policy: ReturnPolicy; now: () => Date },
): Promise<EligibleReturn | ToolFailure> {
  const customer = requireCustomer(context);
  if (isFailure(customer)) return customer;
  const owner = { tenantId: context.tenantId, customerId: customer.customerId };
  const orderNumber = rawOrderNumber.trim().toUpperCase();
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
  const lines = await orderLines(db, owner, orderNumber);
  const window = lines.some((line) => line.clearance)
    ? options.policy.clearanceWindowDays
    : options.policy.windowDays;
  const age = (options.now().getTime() - new Date(order.deliveredAt).getTime()) / DAY;
  if (age > window) {
    return failure(
      'not_returnable',
      `Order ${orderNumber} was delivered ${Math.floor(age)} days ago, outside the ${window}-day return window.`,
    );
  }
  const amount = lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
  return {
    owner,
    orderNumber,
    lines,
    amount,
    needsApproval: amount > options.policy.refundApprovalLimit,
  };
}

/** The action in the customer's words: the items, the refund and how it is paid. */
export function describeReturn(eligible: EligibleReturn, policy: ReturnPolicy): string {
  const items = eligible.lines.map((line) => `${line.quantity} × ${line.product} (${line.model})`).join(', ');
  const approval = eligible.needsApproval
    ? ` Because the refund is above our $${policy.refundApprovalLimit} limit, a team member approves it first (up to 2 business days)`
    : '';
  return `open a return for order ${eligible.orderNumber} (${items}) and refund $${eligible.amount.toFixed(2)} to your original payment method once the parcel arrives, with a prepaid label by email.${approval}`.replace(
    /\.$/,
    '',
  );
}
