/**
 * @module agents/memory/window
 * Short-term memory: the stored conversation, cut to a token budget for the next model call. When
 * the history no longer fits, the older turns are folded into a stored summary (by the model when
 * there is one, extractively otherwise) and only the recent turns are sent verbatim. The summary is
 * kept on the conversation row, so each turn is summarised once, not on every call.
 */
import type { LanguageModel } from 'ai';
import { NotFoundError } from '../../errors.ts';
import type { ConversationRef, MemoryMessage, MemoryWindow } from '../../spec/agent-services.ts';
import type { TokenCounter } from '../../spec/chunk.ts';
import type { LexicalAnalyzer } from '../../spec/lexical.ts';
import { getConversation, listTranscript } from '../../store/conversations.ts';
import type { Database } from '../../store/database.ts';
import { summariseExtractively, summariseWithModel } from './summary.ts';

/** What the memory needs. */
export interface ConversationMemoryOptions {
  readonly db: Database;
  readonly tokens: TokenCounter;
  readonly analyzer: LexicalAnalyzer;
  /** Writes the summaries; without it they are extractive. */
  readonly model?: LanguageModel;
  /** Share of the budget the summary may take (default a quarter). */
  readonly summaryShare?: number;
}

/** Tokens each message costs beyond its text (role and framing), roughly what chat formats add. */
const MESSAGE_OVERHEAD = 4;

/** The conversation memory. */
export class ConversationMemory {
  constructor(private readonly options: ConversationMemoryOptions) {}

  /**
   * The summary and recent messages to send, within `tokenBudget` (the newest message is always
   * included, even when it alone is over budget: cutting the customer's words is not memory's call).
   *
   * @example
   * const { summary, messages } = await memory.window(toolContext, 2000);
   */
  async window(ref: ConversationRef, tokenBudget: number, signal?: AbortSignal): Promise<MemoryWindow> {
    const { db, tokens } = this.options;
    const conversation = await getConversation(db, ref.tenantId, ref.conversationId);
    if (!conversation) {
      throw new NotFoundError('conversation_not_found', `There is no conversation ${ref.conversationId}.`);
    }
    const { rows } = await db.query<{ summary: string | null; through: number | null }>(
      'SELECT summary, summary_through AS through FROM conversations WHERE id = $1 AND tenant_id = $2',
      [conversation.id, ref.tenantId],
    );
    const stored = rows[0]!;
    const messages = await listTranscript(db, ref.tenantId, conversation.id, {
      roles: ['user', 'assistant', 'operator', 'system'],
      after: stored.through ?? 0,
      limit: 100_000,
    });
    const costs = messages.map((message) => tokens.count(message.content) + MESSAGE_OVERHEAD);
    const summaryCost = stored.summary ? tokens.count(stored.summary) : 0;
    const total = costs.reduce((sum, cost) => sum + cost, summaryCost);
    if (total <= tokenBudget) {
      return { summary: stored.summary, messages: messages.map(toMemory), tokens: total };
    }
    const summaryBudget = Math.max(1, Math.floor(tokenBudget * (this.options.summaryShare ?? 0.25)));
    let keep = 0;
    let recentCost = 0;
    while (keep < messages.length) {
      const cost = costs[messages.length - 1 - keep]!;
      if (keep > 0 && recentCost + cost > tokenBudget - summaryBudget) break;
      recentCost += cost;
      keep++;
    }
    const older = messages.slice(0, messages.length - keep);
    const recent = messages.slice(messages.length - keep);
    let summary = stored.summary;
    if (older.length > 0) {
      summary = await this.summarise(
        { previous: stored.summary, messages: older.map(toMemory), tokenBudget: summaryBudget },
        signal,
      );
      // Only the first of two concurrent windows stores its summary; the other's is used once.
      await db.query(
        `UPDATE conversations SET summary = $3, summary_through = $4
         WHERE id = $1 AND tenant_id = $2 AND summary_through IS NOT DISTINCT FROM $5`,
        [conversation.id, ref.tenantId, summary, older.at(-1)!.ordinal, stored.through],
      );
    }
    return {
      summary,
      messages: recent.map(toMemory),
      tokens: recentCost + (summary ? tokens.count(summary) : 0),
    };
  }

  private async summarise(input: Parameters<typeof summariseExtractively>[0], signal?: AbortSignal) {
    const { model, tokens, analyzer } = this.options;
    if (model) {
      try {
        return await summariseWithModel(model, input, tokens, analyzer, signal);
      } catch {
        // A failed summary must not fail the turn: the extractive one is always possible.
      }
    }
    return summariseExtractively(input, tokens, analyzer);
  }
}

function toMemory(message: { role: string; content: string }): MemoryMessage {
  return { role: message.role as MemoryMessage['role'], content: message.content };
}
