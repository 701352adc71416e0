/**
 * The customer's view of a conversation (`GET /v1/conversations/:id/messages`), a person's replies
 * included. Apart from the inbox module so the chat's first load does not carry the inbox.
 */
import type { ApiClient } from './http.ts';

/** One message as the customer sees it. */
export interface CustomerMessage {
  readonly ordinal: number;
  readonly role: 'user' | 'assistant' | 'operator' | 'system';
  readonly content: string;
  readonly createdAt: string;
}

/** The customer's view of a conversation. */
export interface CustomerConversation {
  readonly conversationId: string;
  /** True while a person holds the conversation. */
  readonly withPerson: boolean;
  readonly messages: readonly CustomerMessage[];
}

/** Messages after ordinal `after` (polling). */
export function conversationMessages(
  client: ApiClient,
  conversationId: string,
  after: number,
  signal?: AbortSignal,
): Promise<CustomerConversation> {
  return client.json(`/v1/conversations/${encodeURIComponent(conversationId)}/messages?after=${after}`, {
    signal,
  });
}
