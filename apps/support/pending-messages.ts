/**
 * @module support/pending-messages
 * The customer messages nobody has answered yet: what the customer wrote while a person held the
 * conversation (the assistant stays silent then), unless the person replied after it. The next
 * assistant turn answers them together with the new message, so nothing written to a person who then
 * handed the conversation back goes unanswered.
 */
import { unansweredMessages } from '../../src/agents/inbox/case-state.ts';
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
  const rows = await unansweredMessages(db, ref);
  const kept: string[] = [];
  let length = 0;
  for (const { content } of rows.reverse()) {
    if (kept.length > 0 && length + content.length + 1 > limit) break;
    kept.unshift(content);
    length += content.length + 1;
  }
  return { text: kept.join('\n').slice(-limit), count: kept.length };
}
