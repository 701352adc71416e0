/**
 * @module agents/inbox/escalate
 * Writing an escalation: one open escalation per conversation, so a second escalation of a waiting or
 * claimed conversation adds its notes to the open one instead of queueing the customer twice.
 */
import { InvalidRequestError, NotFoundError } from '../../errors.ts';
import type { EscalationRequest } from '../../spec/agent-services.ts';
import type { EscalationTrigger } from '../../spec/agents.ts';
import type { SqlExecutor } from '../../store/database.ts';
import { ESCALATION_COLUMNS, type Escalation } from '../../store/escalations.ts';

/** Triggers the store accepts (mirrors `EscalationTrigger`). */
export const ESCALATION_TRIGGERS: readonly EscalationTrigger[] = [
  'customer-request',
  'repeated-failure',
  'sensitive-request',
  'low-confidence',
  'agent-decision',
];

const MAX_REASON = 500;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Inserts the escalation, or adds notes to the open one; run inside a transaction. */
export async function insertEscalation(
  tx: SqlExecutor,
  request: EscalationRequest,
): Promise<{ escalation: Escalation; created: boolean }> {
  if (!ESCALATION_TRIGGERS.includes(request.trigger)) {
    throw new InvalidRequestError('invalid_trigger', `Unknown escalation trigger "${request.trigger}".`);
  }
  const reason = request.reason.trim().slice(0, MAX_REASON) || request.trigger;
  // The conversation row lock serialises escalations of one conversation.
  const { rows: conversation } = UUID.test(request.conversationId)
    ? await tx.query('SELECT 1 FROM conversations WHERE id = $1 AND tenant_id = $2 FOR UPDATE', [
        request.conversationId,
        request.tenantId,
      ])
    : { rows: [] };
  if (conversation.length === 0) {
    throw new NotFoundError('conversation_not_found', `There is no conversation ${request.conversationId}.`);
  }
  const notes = JSON.stringify(request.notes ?? []);
  const { rows: updated } = await tx.query<Escalation>(
    `UPDATE escalations SET notes = notes || $3::jsonb
     WHERE conversation_id = $1 AND tenant_id = $2 AND status IN ('waiting', 'claimed')
     RETURNING ${ESCALATION_COLUMNS}`,
    [request.conversationId, request.tenantId, notes],
  );
  if (updated[0]) return { escalation: updated[0], created: false };
  const context = {
    ...(request.customerContext ?? {}),
    ...(request.customer ? { customer: request.customer } : {}),
  };
  const { rows } = await tx.query<Escalation>(
    `INSERT INTO escalations (tenant_id, conversation_id, customer_id, trigger, reason, notes, customer_context)
     VALUES ($1, $2, $3, $4, $5, $6::jsonb, $7::jsonb) RETURNING ${ESCALATION_COLUMNS}`,
    [
      request.tenantId,
      request.conversationId,
      request.customer?.customerId ?? null,
      request.trigger,
      reason,
      notes,
      JSON.stringify(context),
    ],
  );
  return { escalation: rows[0]!, created: true };
}
