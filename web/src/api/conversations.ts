/**
 * The customer's view of a conversation (`GET /v1/conversations/:id/messages`), a person's replies
 * included. Apart from the inbox module so the chat's first load does not carry the inbox.
 */
import type { ApiClient } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';

/** The customer's view of a conversation; `withPerson` is true while a person holds it. */
export type CustomerConversation = ApiResponse<'get /v1/conversations/{id}/messages'>;

/** One message as the customer sees it (never a tool call). */
export type CustomerMessage = CustomerConversation['messages'][number];

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
