/**
 * @module answer/context-assembly
 * Chooses the passages the model sees under a token budget. Passages keep their retrieval order; the
 * lowest-ranked are dropped first, and a passage that does not fit whole is cut only at a sentence
 * boundary (never mid-sentence), because half a sentence can say the opposite of the whole one.
 */
import type { TokenCounter } from '../spec/chunk.ts';
import type { RetrievedChunk } from '../spec/retrieval.ts';
import { splitSentences } from '../text/sentences.ts';

/** A retrieved chunk as it goes into the prompt; `n` is the number the model cites. */
export interface Passage {
  readonly n: number;
  readonly chunk: RetrievedChunk;
  /** The chunk text, or its leading whole sentences when it was trimmed to fit. */
  readonly text: string;
  readonly tokens: number;
  readonly trimmed: boolean;
}

/** Default token budget of the passages in a prompt. */
export const DEFAULT_CONTEXT_TOKENS = 3000;

/** A trimmed passage shorter than this is not worth its header and is dropped instead. */
const MIN_TRIMMED_TOKENS = 24;

/**
 * Takes passages in rank order while they fit in `budgetTokens`. The first one that does not fit is
 * trimmed to its leading sentences when enough of it fits; the rest are dropped.
 */
export function assembleContext(
  chunks: readonly RetrievedChunk[],
  budgetTokens: number,
  counter: TokenCounter,
): Passage[] {
  const passages: Passage[] = [];
  let remaining = budgetTokens;
  for (const chunk of chunks) {
    const text = chunk.text.trim();
    if (!text) continue;
    const tokens = counter.count(text);
    if (tokens <= remaining) {
      passages.push({ n: passages.length + 1, chunk, text, tokens, trimmed: false });
      remaining -= tokens;
      continue;
    }
    const trimmed = leadingSentences(text, remaining, counter);
    if (trimmed && trimmed.tokens >= MIN_TRIMMED_TOKENS) {
      passages.push({ n: passages.length + 1, chunk, ...trimmed, trimmed: true });
    }
    break;
  }
  return passages;
}

/** The longest run of whole leading sentences within `budget` tokens, if any. */
function leadingSentences(
  text: string,
  budget: number,
  counter: TokenCounter,
): { text: string; tokens: number } | undefined {
  let kept = '';
  let tokens = 0;
  let cursor = 0;
  for (const sentence of splitSentences(text)) {
    // Slicing the original text up to the sentence's end keeps its line breaks and lists intact.
    const at = text.indexOf(sentence, cursor);
    if (at < 0) break;
    cursor = at + sentence.length;
    const candidate = text.slice(0, cursor);
    const count = counter.count(candidate);
    if (count > budget) break;
    kept = candidate;
    tokens = count;
  }
  return kept ? { text: kept, tokens } : undefined;
}
