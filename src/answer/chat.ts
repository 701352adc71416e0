/**
 * @module answer/chat
 * Conversations over the answerer: each turn is answered with the conversation's earlier turns as
 * history, then the question and the answer are stored together. A failed turn stores nothing.
 */
import { InvalidRequestError } from '../errors.ts';
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

/** The chat service. */
export class ChatService {
  constructor(
    private readonly db: Database,
    private readonly answerer: Answerer,
  ) {}

  /**
   * The conversation `id` of this tenant, or a new one titled after `question` when `id` is absent.
   * An unknown id, or one of another tenant, is `conversation_not_found`.
   */
  async open(tenantId: string, id: string | undefined, question: string): Promise<ConversationRow> {
    if (id === undefined) {
      return createConversation(this.db, tenantId, question.trim().slice(0, TITLE_CHARACTERS) || null);
    }
    const conversation = await getConversation(this.db, tenantId, id);
    if (!conversation) {
      throw new InvalidRequestError('conversation_not_found', `There is no conversation ${id}.`);
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
