/**
 * @module support/conversation-customers
 * Who each conversation was verified as. `verify_customer` proves it once; later turns, and a run
 * resumed after a restart, read it from here, so the customer never comes from the model's arguments
 * or from process memory.
 */
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { VerifiedCustomer } from '../../src/spec/agents.ts';
import type { SqlExecutor } from '../../src/store/database.ts';

/** The verified customer of each conversation, in `support_conversation_customers`. */
export class ConversationCustomers {
  constructor(private readonly db: SqlExecutor) {}

  /** The conversation's verified customer (name and email read fresh from the customer row). */
  async get(ref: ConversationRef): Promise<VerifiedCustomer | undefined> {
    const { rows } = await this.db.query<{ id: string; name: string; email: string; verifiedBy: string }>(
      `SELECT c.id, c.name, c.email, s.verified_by AS "verifiedBy"
       FROM support_conversation_customers s
       JOIN support_customers c ON c.tenant_id = s.tenant_id AND c.id = s.customer_id
       WHERE s.tenant_id = $1 AND s.conversation_id = $2`,
      [ref.tenantId, ref.conversationId],
    );
    const row = rows[0];
    if (!row) return undefined;
    const verifiedBy = row.verifiedBy === 'session' ? 'session' : 'order-and-email';
    return { customerId: row.id, name: row.name, email: row.email, verifiedBy };
  }

  /** Records (or replaces) who the conversation is verified as. */
  async save(ref: ConversationRef, customer: VerifiedCustomer): Promise<void> {
    await this.db.query(
      `INSERT INTO support_conversation_customers (tenant_id, conversation_id, customer_id, verified_by)
       VALUES ($1, $2, $3, $4)
       ON CONFLICT (tenant_id, conversation_id)
       DO UPDATE SET customer_id = EXCLUDED.customer_id, verified_by = EXCLUDED.verified_by, verified_at = now()`,
      [ref.tenantId, ref.conversationId, customer.customerId, customer.verifiedBy],
    );
  }
}
