/**
 * @module support/tools/verify-customer
 * `verify_customer`: an order number plus the email on it proves who the customer is. The comparison
 * is constant-time, the failure message never says which part was wrong, and a conversation gets a
 * limited number of attempts.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { AgentTool, VerifiedCustomer } from '../../../src/spec/agents.ts';
import type { SqlExecutor } from '../../../src/store/database.ts';
import { failure, type ToolOutcome } from './outcome.ts';

/** Attempts per conversation before verification is refused. */
export const MAX_VERIFICATION_ATTEMPTS = 3;

const input = z.object({
  orderNumber: z.string().min(1).max(40),
  email: z.string().min(1).max(320),
});

/** The tool's input. */
export type VerifyCustomerInput = z.infer<typeof input>;

const digest = (value: string) => createHash('sha256').update(value.trim().toLowerCase()).digest();

/** Creates `verify_customer`; attempts are counted per conversation in this instance. */
export function createVerifyCustomerTool(
  db: SqlExecutor,
): AgentTool<VerifyCustomerInput, ToolOutcome<{ customer: VerifiedCustomer }>> {
  const attempts = new Map<string, number>();
  return {
    name: 'verify_customer',
    description: 'Verifies the customer with an order number and the email address used for that order.',
    inputSchema: input,
    async execute({ orderNumber, email }, context) {
      const key = `${context.tenantId}\u0000${context.conversationId}`;
      const used = attempts.get(key) ?? 0;
      if (used >= MAX_VERIFICATION_ATTEMPTS) {
        return failure(
          'too_many_attempts',
          'Too many verification attempts. A member of our team will help you.',
        );
      }
      attempts.set(key, used + 1);
      const { rows } = await db.query<{ id: string; name: string; email: string }>(
        `SELECT c.id, c.name, c.email FROM support_orders o
         JOIN support_customers c ON c.tenant_id = o.tenant_id AND c.id = o.customer_id
         WHERE o.tenant_id = $1 AND o.order_number = $2`,
        [context.tenantId, orderNumber.trim().toUpperCase()],
      );
      const row = rows[0];
      // Compare even when the order is unknown, so timing does not tell a wrong order from a wrong email.
      const matches =
        timingSafeEqual(digest(row?.email ?? '\u0000no-order'), digest(email)) && row !== undefined;
      if (!matches) {
        return failure(
          'verification_failed',
          'I could not verify those details. Please check the order number and the email address and try again.',
        );
      }
      attempts.delete(key);
      return {
        ok: true,
        customer: { customerId: row.id, email: row.email, name: row.name, verifiedBy: 'order-and-email' },
      };
    },
  };
}
