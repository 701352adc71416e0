/**
 * @module agents/inbox/case-state
 * What an operator needs to know about a case beyond its row: the customer messages nobody has
 * answered yet (written while a person held the case, until the person or, after hand-back, the
 * assistant replies), the conversation's most recent escalation, and how many cases wait.
 */
import type { ConversationRef } from '../../spec/agent-services.ts';
import type { SqlExecutor } from '../../store/database.ts';
import { ESCALATION_COLUMNS, type Escalation, type EscalationStatus } from '../../store/escalations.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Cases of a tenant per status. */
export type InboxSummary = Record<EscalationStatus, number>;

/**
 * The customer's messages after the last reply (the assistant's or a person's), oldest first. Event
 * lines ("a person has joined") are not replies.
 */
export async function unansweredMessages(
  db: SqlExecutor,
  ref: ConversationRef,
): Promise<{ ordinal: number; content: string }[]> {
  if (!UUID.test(ref.conversationId)) return [];
  const { rows } = await db.query<{ ordinal: number; content: string }>(
    `SELECT ordinal, content FROM conversation_messages m
     WHERE m.conversation_id = $1 AND m.tenant_id = $2 AND m.role = 'user'
       AND m.ordinal > coalesce((
         SELECT max(ordinal) FROM conversation_messages r
         WHERE r.conversation_id = $1 AND r.tenant_id = $2 AND r.role IN ('assistant', 'operator')
       ), 0)
     ORDER BY ordinal`,
    [ref.conversationId, ref.tenantId],
  );
  return rows.map((row) => ({ ordinal: Number(row.ordinal), content: row.content }));
}

/** Ordinals of {@link unansweredMessages}. */
export async function unansweredOrdinals(db: SqlExecutor, ref: ConversationRef): Promise<number[]> {
  return (await unansweredMessages(db, ref)).map((message) => message.ordinal);
}

/** The conversation's most recent escalation, whatever its status. */
export async function latestEscalationOf(
  db: SqlExecutor,
  ref: ConversationRef,
): Promise<Escalation | undefined> {
  if (!UUID.test(ref.conversationId)) return undefined;
  const { rows } = await db.query<Escalation>(
    `SELECT ${ESCALATION_COLUMNS} FROM escalations WHERE conversation_id = $1 AND tenant_id = $2
     ORDER BY created_at DESC, id DESC LIMIT 1`,
    [ref.conversationId, ref.tenantId],
  );
  return rows[0];
}

/** How many cases the tenant has in each status (the navigation shows the waiting ones). */
export async function summarizeInbox(db: SqlExecutor, tenantId: string): Promise<InboxSummary> {
  const { rows } = await db.query<{ status: EscalationStatus; count: number }>(
    'SELECT status, count(*)::int AS count FROM escalations WHERE tenant_id = $1 GROUP BY status',
    [tenantId],
  );
  const summary: InboxSummary = { waiting: 0, claimed: 0, returned: 0, closed: 0 };
  for (const row of rows) summary[row.status] = Number(row.count);
  return summary;
}
