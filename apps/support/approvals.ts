/**
 * @module support/approvals
 * What an operator needs to decide a run paused for approval: who the customer is, what the paused
 * calls would do (for `start_return`, the order and the refund it would issue), the customer's reason,
 * and since when the run has waited. Read from the stored run and the orders store, never from the
 * model's words.
 */
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { SqlExecutor } from '../../src/store/database.ts';
import type { ConversationCustomers } from './conversation-customers.ts';
import { orderLines } from './tools/orders-repository.ts';

/** A refund a paused `start_return` would issue. */
export interface PendingRefund {
  readonly orderNumber: string;
  readonly amount: number;
}

/** One paused call. */
export interface PendingCall {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
  readonly agent: string;
  /** Present for `start_return` of a verified customer's order. */
  readonly refund?: PendingRefund;
}

/** One run waiting for a person. */
export interface PendingApprovalView {
  readonly runId: string;
  readonly conversationId: string;
  /** When the run paused (its last update), ISO 8601. */
  readonly waitingSince: string;
  /** The conversation's verified customer, or null when none was verified. */
  readonly customer: {
    readonly id: string;
    readonly name: string | null;
    readonly email: string | null;
  } | null;
  readonly calls: readonly PendingCall[];
}

/** The refund of an order of `customerId`: the sum of its lines (as `start_return` computes it). */
export async function refundOf(
  db: SqlExecutor,
  owner: { tenantId: string; customerId: string },
  orderNumber: string,
): Promise<number> {
  const lines = await orderLines(db, owner, orderNumber);
  return lines.reduce((sum, line) => sum + line.unitPrice * line.quantity, 0);
}

/** The tenant's runs paused for approval, oldest first. */
export async function listPendingApprovals(
  db: SqlExecutor,
  customers: ConversationCustomers,
  tenantId: string,
  limit: number,
): Promise<PendingApprovalView[]> {
  const { rows } = await db.query<{
    id: string;
    conversationId: string;
    state: unknown;
    updatedAt: Date | string;
  }>(
    `SELECT id, conversation_id AS "conversationId", state, updated_at AS "updatedAt" FROM agent_runs
     WHERE tenant_id = $1 AND status = 'paused' ORDER BY updated_at LIMIT $2`,
    [tenantId, limit],
  );
  const views: PendingApprovalView[] = [];
  for (const row of rows) {
    const state = (typeof row.state === 'string' ? JSON.parse(row.state) : row.state) as {
      paused?: { awaiting?: Omit<PendingCall, 'refund'>[] };
    };
    const ref: ConversationRef = { tenantId, conversationId: row.conversationId };
    const customer = await customers.get(ref);
    const calls: PendingCall[] = [];
    for (const call of state.paused?.awaiting ?? []) {
      const orderNumber = String((call.input as { orderNumber?: unknown } | null)?.orderNumber ?? '')
        .trim()
        .toUpperCase();
      const refund =
        call.toolName === 'start_return' && customer && orderNumber
          ? {
              orderNumber,
              amount: await refundOf(db, { tenantId, customerId: customer.customerId }, orderNumber),
            }
          : undefined;
      calls.push({ ...call, ...(refund ? { refund } : {}) });
    }
    views.push({
      runId: row.id,
      conversationId: row.conversationId,
      waitingSince: new Date(row.updatedAt).toISOString(),
      customer: customer
        ? { id: customer.customerId, name: customer.name ?? null, email: customer.email ?? null }
        : null,
      calls,
    });
  }
  return views;
}
