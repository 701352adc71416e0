/**
 * @module answer/condense
 * A follow-up ("and how long does it take?") retrieves nothing useful on its own, so it is rewritten
 * as a standalone query first: by the model when there is one, otherwise by appending the key terms
 * of the previous user turn.
 */
import { generateText, type LanguageModel } from 'ai';
import { modelIdentity, servedModelOf, startChatSpan } from '../observability/gen-ai.ts';
import type { ConversationTurn } from '../spec/answer.ts';
import type { LexicalAnalyzer } from '../spec/lexical.ts';
import { buildCondensePrompt } from './prompt.ts';
import { isQuestionWord, wordsOf } from './topic-terms.ts';

/** Turns the model sees when condensing; older ones rarely matter to a follow-up. */
const CONDENSE_TURNS = 6;
/** Characters kept of each turn, so one long answer cannot crowd out the rest. */
const TURN_CHARACTERS = 1200;
/** A standalone query longer than this is the model rambling; it is cut. */
const MAX_QUERY_CHARACTERS = 1000;

/** The condensed query and the tokens the model spent on it. */
export interface CondensedQuery {
  readonly query: string;
  readonly usage: { readonly inputTokens: number; readonly outputTokens: number };
  /** `provider:model` that answered, when the model says so (a fallback of the resilient wrapper). */
  readonly servedBy?: string;
}

/** Rewrites `question` with `model`; an empty reply falls back to the question itself. */
export async function condenseWithModel(
  model: LanguageModel,
  history: readonly ConversationTurn[],
  question: string,
  signal?: AbortSignal,
): Promise<CondensedQuery> {
  const recent = history
    .slice(-CONDENSE_TURNS)
    .map((turn) => ({ ...turn, content: turn.content.slice(0, TURN_CHARACTERS) }));
  const prompt = buildCondensePrompt(recent, question);
  const call = startChatSpan(modelIdentity(model), () => JSON.stringify(prompt));
  const result = await generateText({ model, ...prompt, maxRetries: 0, abortSignal: signal }).catch(
    (error: unknown) => {
      call.fail(error);
      throw error;
    },
  );
  call.end({
    text: result.text,
    usage: { inputTokens: result.usage.inputTokens ?? 0, outputTokens: result.usage.outputTokens ?? 0 },
    finishReason: result.finishReason,
    servedBy: servedModelOf(result.providerMetadata),
  });
  const servedBy = servedModelOf(result.providerMetadata);
  const query = result.text.trim().replace(/^"|"$/g, '').slice(0, MAX_QUERY_CHARACTERS);
  return {
    query: query || question,
    ...(servedBy ? { servedBy } : {}),
    usage: {
      inputTokens: result.usage.inputTokens ?? 0,
      outputTokens: result.usage.outputTokens ?? 0,
    },
  };
}

/**
 * Appends to `question` the words of the previous user turn that carry meaning (not stop words, not
 * question words, not already asked).
 *
 * @example
 * condenseWithoutModel([{ role: 'user', content: 'How do I return a thermostat?' }], 'How long does it take?', analyzer);
 * // 'How long does it take? return thermostat'
 */
export function condenseWithoutModel(
  history: readonly ConversationTurn[],
  question: string,
  analyzer: LexicalAnalyzer,
): string {
  const previous = history.findLast((turn) => turn.role === 'user');
  if (!previous) return question;
  const asked = new Set(analyzer.terms(question));
  const added = new Set<string>();
  const words: string[] = [];
  for (const word of wordsOf(previous.content)) {
    if (isQuestionWord(word)) continue;
    const terms = analyzer.terms(word);
    if (terms.length === 0 || terms.every((term) => asked.has(term) || added.has(term))) continue;
    for (const term of terms) added.add(term);
    words.push(word);
  }
  return words.length > 0 ? `${question} ${words.join(' ')}` : question;
}
