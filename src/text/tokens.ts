/**
 * @module text/tokens
 * Token counting with a real BPE tokenizer (cl100k_base), shared by chunking and context assembly so
 * that "400 tokens" means the same thing everywhere.
 *
 * BPE merges within one pre-tokenised piece in time quadratic in its length: one 40,000-character
 * word (a base64 blob, a run of one letter) took 40 s and blocked the process, and an upload of such a
 * file stalled the server for minutes. Runs of non-space (or space) characters longer than
 * {@link SLICE} are therefore counted in slices of that length. Prose never has such runs and is
 * counted exactly; a long run's count may differ from the exact one by a token per slice.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import type { TokenCounter } from '../spec/chunk.ts';

/** The longest run counted whole. */
const SLICE = 200;
const LONG_RUN = new RegExp(`\\S{${SLICE + 1},}|\\s{${SLICE + 1},}`, 'g');

/** Tokens of `text` under cl100k_base, in time linear in its length. */
export function countTextTokens(text: string): number {
  if (!text) return 0;
  let total = 0;
  let last = 0;
  for (const match of text.matchAll(LONG_RUN)) {
    if (match.index > last) total += countTokens(text.slice(last, match.index));
    const run = match[0];
    for (let offset = 0; offset < run.length; offset += SLICE)
      total += countTokens(run.slice(offset, offset + SLICE));
    last = match.index + run.length;
  }
  return last === 0 ? countTokens(text) : total + (last < text.length ? countTokens(text.slice(last)) : 0);
}

/** The default token counter. */
export function createTokenCounter(): TokenCounter {
  return { name: 'cl100k_base', count: countTextTokens };
}
