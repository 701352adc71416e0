/**
 * @module server/routes/chat
 * `POST /v1/chat`: one turn of a stored conversation (created when no `conversationId` is given). The
 * conversation id is in the `Groundwork-Conversation-Id` header, and in the JSON body.
 */
import type { InboxService } from '../../agents/inbox/inbox.ts';
import type { ChatService } from '../../answer/chat.ts';
import { ConflictError } from '../../errors.ts';
import { clientSignal, streamAnswerEvents, wantsEventStream } from '../answer-events.ts';
import { callerOf } from '../authenticate.ts';
import { ANSWER_EVENTS, chatResultSchema } from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { readJson } from '../validate.ts';
import { chatRequestSchema } from './ask-schema.ts';

/** The response header that names the conversation. */
export const CONVERSATION_HEADER = 'Groundwork-Conversation-Id';

/** The routes, as they declare themselves (server/route-spec.ts). */
const CHAT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/chat',
    tag: 'answers',
    summary:
      'One turn of a stored conversation (id also in the `Groundwork-Conversation-Id` header); 409 `conversation_with_person` while it is escalated to the operator inbox.',
    access: 'customer',
    request: { json: chatRequestSchema },
    responses: { 200: { ...ok(chatResultSchema), stream: ANSWER_EVENTS } },
    spendsTokens: true,
  },
];

/** Routes; with `inbox`, a conversation a person holds is theirs to answer, not the model's. */
export function chatRoutes(chat: ChatService, inbox?: InboxService) {
  return declareRoutes(CHAT_ROUTES).post('/v1/chat', async (context) => {
    const { stream, conversationId, ...body } = await readJson(context, chatRequestSchema);
    const identity = context.get('identity');
    const conversation = await chat.open(identity.tenantId, conversationId, body.question, {
      owner: callerOf(identity),
      role: identity.role,
    });
    if (conversationId && (await inbox?.isWithPerson({ tenantId: identity.tenantId, conversationId }))) {
      // Escalated to the operator inbox (waiting or claimed): the model answering as well would talk
      // over the person, and the customer would get two replies.
      throw new ConflictError(
        'conversation_with_person',
        'A person is handling this conversation; their reply will appear in it. Read it with GET /v1/conversations/{id}/messages.',
      );
    }
    const request = {
      ...body,
      tenantId: identity.tenantId,
      principals: identity.principals,
      userId: identity.keyId ?? undefined,
      conversationId: conversation.id,
    };
    const headers = { [CONVERSATION_HEADER]: conversation.id };
    // Also on an error response: a turn a guardrail escalated parks this conversation for a person.
    context.header(CONVERSATION_HEADER, conversation.id);
    if (wantsEventStream(context, stream)) {
      return streamAnswerEvents(
        context,
        (signal) => chat.stream(conversation, { ...request, signal }),
        headers,
      );
    }
    const result = await chat.ask(conversation, { ...request, signal: clientSignal(context).signal });
    return context.json(result, 200, headers);
  });
}
