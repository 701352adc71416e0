/**
 * @module models/token-usage
 * Plain token counts from the AI SDK's detailed usage, for answers, traces and cost.
 */
import type { LanguageModelV3Usage } from '@ai-sdk/provider';

/** Input and output tokens of one call. */
export interface TokenUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/**
 * Totals of a call's usage. A provider that reports no count (some OpenAI-compatible servers omit
 * usage when streaming) gives 0 rather than NaN, so sums over many calls stay numbers.
 */
export function toTokenUsage(usage: LanguageModelV3Usage | undefined): TokenUsage {
  return {
    inputTokens: usage?.inputTokens.total ?? 0,
    outputTokens: usage?.outputTokens.total ?? 0,
  };
}

/** Sum of several calls' usage (an agent's steps, a retried stream). */
export function addTokenUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return { inputTokens: a.inputTokens + b.inputTokens, outputTokens: a.outputTokens + b.outputTokens };
}
