/**
 * @module text/tokens
 * Token counting with a real BPE tokenizer (cl100k_base), shared by chunking and context assembly so
 * that "400 tokens" means the same thing everywhere.
 */
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import type { TokenCounter } from '../spec/chunk.ts';

/** The default token counter. */
export function createTokenCounter(): TokenCounter {
  return { name: 'cl100k_base', count: (text) => (text ? countTokens(text) : 0) };
}
