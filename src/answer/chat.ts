/**
 * @module answer/chat
 * Conversations over the answerer: each turn is answered with the conversation's earlier turns as
 * history, then the question and the answer are stored together. A failed turn stores nothing.
 */
import { NotFoundError } from '../errors.ts';
import type { Role } from '../identity/roles.ts';
import type { Answerer, AskEvent, AskRequest, AskResult } from '../spec/answer.ts';
import {
  appendTurn,
  type ConversationRow,
  createConversation,
  getConversation,
  listMessages,
} from '../store/conversations.ts';
import type { Database } from '../store/database.ts';

/** Turns of history given to the answerer; condensation only looks at the last few anyway. */
const HISTORY_MESSAGES = 20;
const TITLE_CHARACTERS = 80;

/** A conversation turn to answer: an ask request without history, which comes from the store. */
export type ChatRequest = Omit<AskRequest, 'history'>;

/** A chat answer with the conversation it belongs to. */
export type ChatResult = AskResult & { readonly conversationId: string };

/** Who is asking: customers may only open conversations they started; operators and admins any. */
export interface ConversationCaller {
  /** `key:<id>` or `oidc:<sub>`; null for an anonymous caller (auth off). */
  readonly owner: string | null;
  readonly role: Role;
}

/**
 * Whether `caller` may read or continue `conversation`: staff may; a customer only their own. A
 * conversation with no owner (started with auth off, or by a service on the customer's behalf) is open
 * to the tenant, as before owners were recorded.
 */
export function mayOpenConversation(
  conversation: Pick<ConversationRow, 'owner'>,
  caller?: ConversationCaller,
): boolean {
  if (!caller || caller.role !== 'customer' || conversation.owner === null) return true;
  return conversation.owner === caller.owner;
}

/** The chat service. */
export class ChatService {
  constructor(
    private readonly db: Database,
    private readonly answerer: Answerer,
  ) {}

  /** The conversation `id` of this tenant, whoever owns it; undefined when there is none. */
  find(tenantId: string, id: string): Promise<ConversationRow | undefined> {
    return getConversation(this.db, tenantId, id);
  }

  /**
   * The conversation `id` of this tenant, or a new one titled after `question` when `id` is absent.
   * An unknown id, one of another tenant, or another customer's is `conversation_not_found`.
   */
  async open(
    tenantId: string,
    id: string | undefined,
    question: string,
    caller?: ConversationCaller,
  ): Promise<ConversationRow> {
    if (id === undefined) {
      const title = question.trim().slice(0, TITLE_CHARACTERS) || null;
      return createConversation(this.db, tenantId, title, caller?.owner ?? null);
    }
    const conversation = await getConversation(this.db, tenantId, id);
    if (!conversation || !mayOpenConversation(conversation, caller)) {
      throw new NotFoundError('conversation_not_found', `There is no conversation ${id}.`);
    }
    return conversation;
  }

  /** Answers one turn and stores it. */
  async ask(conversation: ConversationRow, request: ChatRequest): Promise<ChatResult> {
    const result = await this.answerer.ask({ ...request, history: await this.history(conversation) });
    await appendTurn(this.db, conversation.tenantId, conversation.id, request.question, result);
    return { ...result, conversationId: conversation.id };
  }

  /** Streams one turn; it is stored when the `done` event arrives, before that event is passed on. */
  async *stream(conversation: ConversationRow, request: ChatRequest): AsyncIterable<AskEvent> {
    const history = await this.history(conversation);
    for await (const event of this.answerer.stream({ ...request, history })) {
      if (event.type === 'done') {
        await appendTurn(this.db, conversation.tenantId, conversation.id, request.question, event.result);
      }
      yield event;
    }
  }

  /** The stored messages of a conversation, oldest first. */
  messages(conversation: ConversationRow) {
    return listMessages(this.db, conversation.tenantId, conversation.id);
  }

  private async history(conversation: ConversationRow) {
    const messages = await listMessages(this.db, conversation.tenantId, conversation.id, HISTORY_MESSAGES);
    return messages.map(({ role, content }) => ({ role, content }));
  }
}
