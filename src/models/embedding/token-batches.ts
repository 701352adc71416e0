/**
 * @module models/embedding/token-batches
 * Splits texts into requests by an approximate token budget. The count is an estimate, not a
 * tokenizer: one token per three characters, which over-counts English (about four characters per
 * token for OpenAI's and BERT's vocabularies) so that a batch rarely exceeds a provider's real limit,
 * and costs nothing per text. A text above the per-input limit is cut to it (the model would refuse
 * or silently truncate it anyway).
 */
import type { ProtocolLimits } from './known-models.ts';

/** Characters per token assumed by `approximateTokens`. */
export const CHARACTERS_PER_TOKEN = 3;

/** An over-estimate of the tokens in `text`; at least 1 so empty texts still count as an input. */
export function approximateTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / CHARACTERS_PER_TOKEN));
}

/** One request's texts, with their positions in the caller's list. */
export interface TokenBatch {
  readonly start: number;
  readonly values: readonly string[];
  readonly tokens: number;
}

/** Consecutive batches within `limits`; each text appears once, in order, cut to the per-input limit. */
export function splitByTokens(values: readonly string[], limits: ProtocolLimits): TokenBatch[] {
  const maxChars = limits.maxInputTokens * CHARACTERS_PER_TOKEN;
  const batches: TokenBatch[] = [];
  let current: string[] = [];
  let tokens = 0;
  let start = 0;
  values.forEach((raw, index) => {
    const value = raw.length > maxChars ? raw.slice(0, maxChars) : raw;
    const cost = approximateTokens(value);
    const full = current.length >= limits.maxTextsPerRequest || tokens + cost > limits.maxRequestTokens;
    if (current.length > 0 && full) {
      batches.push({ start, values: current, tokens });
      current = [];
      tokens = 0;
      start = index;
    }
    current.push(value);
    tokens += cost;
  });
  if (current.length > 0) batches.push({ start, values: current, tokens });
  return batches;
}
