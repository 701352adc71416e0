/**
 * @module observability/span-cost
 * The cost of a model call on its own span. As a model span (`gen_ai.chat`, an embedding call) ends,
 * its tokens are priced with the app's price table and the cost in USD is set as
 * `groundwork.cost.usd` (the GenAI conventions have no cost attribute), so the trace store and OTLP
 * collectors see the same figure, and a trace's cost is the sum over its spans. A model without a
 * price gets no cost attribute (its cost is unknown, not 0), unless it spent no tokens.
 */
import type { Attributes, Span } from '@opentelemetry/api';
import { GEN_AI, MODEL_NAME_ATTRIBUTE } from './gen-ai.ts';
import type { PriceOf } from './span-metrics.ts';

/** Span attribute with a model call's cost in USD, from the price table. */
export const COST_ATTRIBUTE = 'groundwork.cost.usd';

/** The `provider:model` a model span prices its tokens by, or undefined for other spans. */
export function pricedModelOf(attributes: Attributes): string | undefined {
  if (typeof attributes[GEN_AI.operation] !== 'string') return undefined;
  const named = attributes[MODEL_NAME_ATTRIBUTE];
  if (typeof named === 'string') return named;
  const provider = attributes[GEN_AI.provider];
  const model = attributes[GEN_AI.requestModel];
  return typeof provider === 'string' && typeof model === 'string' ? `${provider}:${model}` : undefined;
}

/**
 * Sets the cost attribute of a model span that is ending; other spans are left alone.
 *
 * @example
 * priceSpan(span, span.attributes, (model, input, output) => prices.cost(model, { inputTokens: input, outputTokens: output }).costUsd);
 */
export function priceSpan(span: Span, attributes: Attributes, priceOf: PriceOf): void {
  const model = pricedModelOf(attributes);
  if (model === undefined) return;
  const input = tokens(attributes[GEN_AI.inputTokens]);
  const output = tokens(attributes[GEN_AI.outputTokens]);
  const cost = priceOf(model, input, output) ?? (input + output === 0 ? 0 : undefined);
  if (cost !== undefined) span.setAttribute(COST_ATTRIBUTE, cost);
}

/** Records the tokens an embedding call reports (providers that report none leave the span as is). */
export function recordEmbeddingTokens(span: Span, usage: { readonly tokens: number } | undefined): void {
  if (usage && Number.isFinite(usage.tokens)) span.setAttribute(GEN_AI.inputTokens, usage.tokens);
}

function tokens(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
