/**
 * @module support/pending-messages
 * The customer messages nobody has answered yet: what the customer wrote while a person held the
 * conversation (the assistant stays silent then), unless the person replied after it. The next
 * assistant turn answers them together with the new message, so nothing written to a person who then
 * handed the conversation back goes unanswered.
 */
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { SqlExecutor } from '../../src/store/database.ts';

/**
 * The unanswered customer messages, oldest first, joined into the text one turn answers; the newest
 * are kept when together they exceed `limit` characters. Empty when nothing waits for an answer.
 */
export async function pendingCustomerText(
  db: SqlExecutor,
  ref: ConversationRef,
  limit: number,
): Promise<{ text: string; count: number }> {
  const { rows } = await db.query<{ content: string }>(
    `SELECT content FROM conversation_messages m
     WHERE m.conversation_id = $1 AND m.tenant_id = $2 AND m.role = 'user'
       AND m.ordinal > coalesce((
         SELECT max(ordinal) FROM conversation_messages r
         WHERE r.conversation_id = $1 AND r.tenant_id = $2 AND r.role IN ('assistant', 'operator')
       ), 0)
     ORDER BY ordinal`,
    [ref.conversationId, ref.tenantId],
  );
  const kept: string[] = [];
  let length = 0;
  for (const { content } of rows.reverse()) {
    if (kept.length > 0 && length + content.length + 1 > limit) break;
    kept.unshift(content);
    length += content.length + 1;
  }
  return { text: kept.join('\n').slice(-limit), count: kept.length };
}
