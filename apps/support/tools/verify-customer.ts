/**
 * @module support/tools/verify-customer
 * `verify_customer`: an order number plus the email on it proves who the customer is. The comparison
 * is constant-time, the failure message never says which part was wrong, and a conversation gets a
 * limited number of attempts, counted in the database (`support_verification_attempts`), so neither a
 * restart nor a second instance of the app resets them.
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

/**
 * Takes one attempt of the conversation's allowance; false when it is used up. One statement, so two
 * attempts at once cannot both take the last one.
 */
async function takeAttempt(db: SqlExecutor, tenantId: string, conversationId: string): Promise<boolean> {
  const { rows } = await db.query(
    `INSERT INTO support_verification_attempts (tenant_id, conversation_id, attempts) VALUES ($1, $2, 1)
     ON CONFLICT (tenant_id, conversation_id) DO UPDATE
       SET attempts = support_verification_attempts.attempts + 1, updated_at = now()
       WHERE support_verification_attempts.attempts < $3
     RETURNING attempts`,
    [tenantId, conversationId, MAX_VERIFICATION_ATTEMPTS],
  );
  return rows.length > 0;
}

/** Creates `verify_customer`; attempts are counted per conversation in the database. */
export function createVerifyCustomerTool(
  db: SqlExecutor,
): AgentTool<VerifyCustomerInput, ToolOutcome<{ customer: VerifiedCustomer }>> {
  return {
    name: 'verify_customer',
    description: 'Verifies the customer with an order number and the email address used for that order.',
    inputSchema: input,
    async execute({ orderNumber, email }, context) {
      if (!(await takeAttempt(db, context.tenantId, context.conversationId))) {
        return failure(
          'too_many_attempts',
          'Too many verification attempts. A member of our team will help you.',
        );
      }
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
      // Verified: the allowance starts again (a later re-verification in the same conversation).
      await db.query(
        'DELETE FROM support_verification_attempts WHERE tenant_id = $1 AND conversation_id = $2',
        [context.tenantId, context.conversationId],
      );
      return {
        ok: true,
        customer: { customerId: row.id, email: row.email, name: row.name, verifiedBy: 'order-and-email' },
      };
    },
  };
}
