/**
 * @module server/routes/conversation-messages
 * `GET /v1/conversations/:id/messages`: the customer's view of a conversation in the caller's tenant:
 * questions, answers, a person's replies and events such as "a person has joined", never the agents'
 * tool calls or which operator key wrote a reply. `after` returns only newer messages, for polling.
 */
import { z } from 'zod';
import type { InboxService } from '../../agents/inbox/inbox.ts';
import { type ChatService, mayOpenConversation } from '../../answer/chat.ts';
import { NotFoundError } from '../../errors.ts';
import { callerOf } from '../authenticate.ts';
import { customerConversationSchema } from '../openapi/inbox-responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith } from '../validate.ts';

/** Query of `GET /v1/conversations/:id/messages`. */
export const conversationMessagesQuerySchema = z
  .object({
    /** Only messages with a larger ordinal. */
    after: z.coerce.number().int().min(0).default(0),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

/** The routes, as they declare themselves (server/route-spec.ts). */
const CONVERSATION_MESSAGE_ROUTES: readonly RouteSpec[] = [
  {
    method: 'get',
    path: '/v1/conversations/:id/messages',
    tag: 'answers',
    summary: 'A conversation as its customer sees it, a person’s replies included (`after` for newer ones).',
    access: 'customer',
    request: { query: conversationMessagesQuerySchema },
    responses: { 200: ok(customerConversationSchema) },
  },
];

/** Routes. */
export function conversationMessageRoutes(inbox: InboxService, chat: Pick<ChatService, 'find'>) {
  return declareRoutes(CONVERSATION_MESSAGE_ROUTES).get('/v1/conversations/:id/messages', async (context) => {
    const query = parseWith(conversationMessagesQuerySchema, context.req.query(), 'invalid_query');
    const identity = context.get('identity');
    const conversationId = context.req.param('id');
    // Another customer's conversation reads as missing, like another tenant's.
    const conversation = await chat.find(identity.tenantId, conversationId);
    if (
      conversation &&
      !mayOpenConversation(conversation, { owner: callerOf(identity), role: identity.role })
    ) {
      throw new NotFoundError('conversation_not_found', `There is no conversation ${conversationId}.`);
    }
    const view = await inbox.customerView({ tenantId: identity.tenantId, conversationId }, query);
    return context.json(view);
  });
}
