/**
 * @module agents/memory/summary
 * Summaries of the older turns of a long conversation. With a language model, the model writes the
 * summary; without one (or when it fails) the summary is extractive: the sentences that carry the
 * conversation's key terms, identifiers such as order numbers first, in their original order, within
 * the token budget.
 */
import { generateText, type LanguageModel } from 'ai';
import type { MemoryMessage } from '../../spec/agent-services.ts';
import type { TokenCounter } from '../../spec/chunk.ts';
import type { LexicalAnalyzer } from '../../spec/lexical.ts';
import { splitSentences } from '../../text/sentences.ts';

/** What summarising needs. */
export interface SummaryInput {
  /** The summary of still older turns, folded into the new one. */
  readonly previous: string | null;
  readonly messages: readonly MemoryMessage[];
  readonly tokenBudget: number;
}

const SPEAKERS: Record<MemoryMessage['role'], string> = {
  user: 'Customer',
  assistant: 'Assistant',
  operator: 'Support agent',
  system: 'Event',
};

/** Identifiers (order numbers, amounts, dates) are what a later turn most often needs back. */
const IDENTIFIER = /\b[A-Z]{0,4}-?\d[\w-]{2,}\b/;

/** Picks the key sentences within the budget; never calls a model. */
export function summariseExtractively(
  input: SummaryInput,
  tokens: TokenCounter,
  analyzer: LexicalAnalyzer,
): string {
  const candidates = [
    ...splitSentences(input.previous ?? '').map((text) => ({ text, speaker: '' })),
    ...input.messages.flatMap((message) =>
      splitSentences(message.content).map((text) => ({ text, speaker: SPEAKERS[message.role] })),
    ),
  ].filter((candidate) => candidate.text.trim().length > 0);
  const frequency = new Map<string, number>();
  const termsOf = candidates.map((candidate) => new Set(analyzer.terms(candidate.text)));
  for (const terms of termsOf) for (const term of terms) frequency.set(term, (frequency.get(term) ?? 0) + 1);
  const scored = candidates.map((candidate, index) => {
    const terms = termsOf[index]!;
    let score = 0;
    for (const term of terms) score += frequency.get(term)!;
    score /= Math.sqrt(terms.size + 1);
    if (IDENTIFIER.test(candidate.text)) score += 10;
    // The previous summary already holds what mattered earlier.
    if (!candidate.speaker) score += 5;
    return {
      index,
      score,
      line: candidate.speaker ? `${candidate.speaker}: ${candidate.text}` : candidate.text,
    };
  });
  const chosen: typeof scored = [];
  let used = 0;
  for (const entry of [...scored].sort((a, b) => b.score - a.score || a.index - b.index)) {
    const cost = tokens.count(entry.line) + 1;
    if (used + cost > input.tokenBudget) continue;
    chosen.push(entry);
    used += cost;
  }
  return chosen
    .sort((a, b) => a.index - b.index)
    .map((entry) => entry.line)
    .join('\n');
}

/** Asks the model for the summary; a reply over budget is cut down extractively. */
export async function summariseWithModel(
  model: LanguageModel,
  input: SummaryInput,
  tokens: TokenCounter,
  analyzer: LexicalAnalyzer,
  signal?: AbortSignal,
): Promise<string> {
  const transcript = input.messages
    .map((message) => `${SPEAKERS[message.role]}: ${message.content}`)
    .join('\n');
  const result = await generateText({
    model,
    system:
      'You summarise the earlier part of a customer-support conversation for the assistant who continues it. ' +
      'Keep what the customer told (names, order numbers, products, dates), what was tried, what was decided or ' +
      'promised, and what is still open. Plain sentences, no greeting, no advice.',
    prompt: `${input.previous ? `Summary so far:\n${input.previous}\n\n` : ''}Conversation:\n${transcript}\n\nSummary:`,
    maxOutputTokens: Math.max(16, input.tokenBudget),
    maxRetries: 0,
    abortSignal: signal,
  });
  const summary = result.text.trim();
  if (!summary) throw new Error('The model returned an empty summary.');
  if (tokens.count(summary) <= input.tokenBudget) return summary;
  return summariseExtractively(
    { previous: summary, messages: [], tokenBudget: input.tokenBudget },
    tokens,
    analyzer,
  );
}
