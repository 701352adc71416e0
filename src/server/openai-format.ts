/**
 * @module server/openai-format
 * Translates between OpenAI's chat-completions format and the `Answerer` contract: messages in, a
 * `chat.completion` (or its chunks) out. Citations travel twice: as the extra `citations` field for
 * clients that know it, and as a plain "Sources:" list in the text for clients that show only content.
 */
import { randomBytes } from 'node:crypto';
import { InvalidRequestError } from '../errors.ts';
import type { AskResult, Citation, ConversationTurn } from '../spec/answer.ts';
import { GROUNDWORK_MODEL_ID } from './routes/openai-schema.ts';

type Message = {
  readonly role: 'system' | 'developer' | 'user' | 'assistant';
  readonly content: string | readonly { readonly text: string }[] | null;
};

/** History turns kept from a long conversation; older turns matter little to condensing. */
const MAX_HISTORY_TURNS = 50;

/** The question (the last message, which must be the user's) and the earlier turns. */
export function toQuestion(messages: readonly Message[]): { question: string; history: ConversationTurn[] } {
  const last = messages.at(-1);
  if (last?.role !== 'user') {
    throw new InvalidRequestError('invalid_messages', 'The last message must be the user’s question.', {
      param: 'messages',
    });
  }
  // System and developer messages are ignored: the grounded prompt is the server's, not the caller's.
  const history = messages
    .slice(0, -1)
    .flatMap((message): ConversationTurn[] =>
      message.role === 'user' || message.role === 'assistant'
        ? [{ role: message.role, content: textOf(message.content) }]
        : [],
    )
    .filter((turn) => turn.content.trim().length > 0);
  return { question: textOf(last.content), history: history.slice(-MAX_HISTORY_TURNS) };
}

function textOf(content: Message['content']): string {
  if (content === null) return '';
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

/** The plain-text list of sources appended to the answer (empty when nothing was cited). */
export function sourcesText(citations: readonly Citation[]): string {
  if (citations.length === 0) return '';
  const lines = citations.map((citation) => {
    const page = citation.page === null ? '' : `, p. ${citation.page}`;
    const title = citation.title
      ? `${citation.title} (${citation.source}${page})`
      : `${citation.source}${page}`;
    return `[${citation.n}] ${title}`;
  });
  return `\n\nSources:\n${lines.join('\n')}`;
}

/** A fresh completion id. */
export function completionId(): string {
  return `chatcmpl-${randomBytes(12).toString('hex')}`;
}

/** The fields every completion object and chunk shares. */
export function completionHeader(id: string) {
  return { id, created: Math.floor(Date.now() / 1000), model: GROUNDWORK_MODEL_ID };
}

/** Groundwork's extra fields: what the answer cites and how it was written. */
export function groundingFields(result: AskResult) {
  return { citations: result.citations, mode: result.mode, answer_model: result.model, notes: result.notes };
}

/** OpenAI's `usage` from ours. */
export function usageOf(result: AskResult) {
  const { inputTokens, outputTokens } = result.usage;
  return {
    prompt_tokens: inputTokens,
    completion_tokens: outputTokens,
    total_tokens: inputTokens + outputTokens,
  };
}

/** A non-streamed `chat.completion`. */
export function toCompletion(result: AskResult) {
  return {
    ...completionHeader(completionId()),
    object: 'chat.completion' as const,
    choices: [
      {
        index: 0,
        message: {
          role: 'assistant' as const,
          content: result.answer + sourcesText(result.citations),
          refusal: null,
        },
        logprobs: null,
        finish_reason: 'stop' as const,
      },
    ],
    usage: usageOf(result),
    ...groundingFields(result),
  };
}

/** One `chat.completion.chunk`; `extra` carries the final chunk's finish reason, usage and citations. */
export function toChunk(
  header: ReturnType<typeof completionHeader>,
  delta: { role?: 'assistant'; content?: string },
  extra: { finishReason?: 'stop'; result?: AskResult } = {},
) {
  return {
    ...header,
    object: 'chat.completion.chunk' as const,
    choices: [{ index: 0, delta, logprobs: null, finish_reason: extra.finishReason ?? null }],
    // The deltas were the model's raw text; `answer` is the authoritative one (citations renumbered,
    // or an extractive replacement), as `done.result.answer` is on /v1/ask.
    ...(extra.result
      ? { usage: usageOf(extra.result), ...groundingFields(extra.result), answer: extra.result.answer }
      : {}),
  };
}

/** OpenAI's error type for a status. */
export function openAIErrorType(status: number): string {
  if (status === 429 || status === 503) return 'rate_limit_error';
  return status >= 500 ? 'server_error' : 'invalid_request_error';
}
