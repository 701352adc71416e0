/**
 * @module agents/inbox/customer-view
 * A conversation as its customer sees it: questions, answers, a person's replies and events such as
 * "a person has joined", never the agents' tool calls or which operator key wrote a reply.
 */
import { NotFoundError } from '../../errors.ts';
import type { ConversationRef } from '../../spec/agent-services.ts';
import { getConversation, listTranscript, type TranscriptMessage } from '../../store/conversations.ts';
import type { SqlExecutor } from '../../store/database.ts';
import { openEscalationOf } from '../../store/escalations.ts';

/** A conversation as its customer sees it. */
export interface CustomerConversationView {
  readonly conversationId: string;
  /** True while an operator holds the conversation. */
  readonly withPerson: boolean;
  readonly messages: Pick<TranscriptMessage, 'ordinal' | 'role' | 'content' | 'createdAt'>[];
}

/** The customer's view; `after` returns only newer messages (polling). */
export async function readCustomerView(
  db: SqlExecutor,
  ref: ConversationRef,
  options: { after?: number; limit?: number } = {},
): Promise<CustomerConversationView> {
  const conversation = await getConversation(db, ref.tenantId, ref.conversationId);
  if (!conversation) {
    throw new NotFoundError('conversation_not_found', `There is no conversation ${ref.conversationId}.`);
  }
  const messages = await listTranscript(db, ref.tenantId, conversation.id, {
    ...options,
    roles: ['user', 'assistant', 'operator', 'system'],
  });
  return {
    conversationId: conversation.id,
    withPerson: (await openEscalationOf(db, ref.tenantId, conversation.id))?.status === 'claimed',
    messages: messages.map(({ ordinal, role, content, createdAt }) => ({
      ordinal,
      role,
      content,
      createdAt,
    })),
  };
}
