/**
 * @module observability/span-metrics
 * Metrics read off spans as they end, so the code that makes a span need not also know about
 * metrics: stage latency from `stage` spans, tokens (and cost) from model-call spans, retrieval sizes
 * from `retrieve`, file and chunk counts from `ingest.file`. Every recorded span passes here, sampled
 * for the trace store or not.
 */
import { SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { GEN_AI, MODEL_NAME_ATTRIBUTE } from './gen-ai.ts';
import type { GroundworkMetrics } from './metrics.ts';
import { COST_ATTRIBUTE } from './span-cost.ts';
import { toMilliseconds } from './span-record.ts';
import { ERROR_CODE_ATTRIBUTE, STAGE_ATTRIBUTE } from './tracer.ts';

/** Span attribute with the number of passages a retrieval returned. */
export const RETRIEVAL_RESULTS_ATTRIBUTE = 'groundwork.retrieval.results';
/** Span attribute with the chunks an ingested file produced. */
export const INGEST_CHUNKS_ATTRIBUTE = 'groundwork.ingest.chunks';

/** Price of a model call in US dollars, or undefined when the model has no price. */
export type PriceOf = (model: string, inputTokens: number, outputTokens: number) => number | undefined;

/** Updates `metrics` from one finished span of `tenant`. */
export function observeSpan(
  metrics: GroundworkMetrics,
  span: ReadableSpan,
  tenant: string,
  priceOf?: PriceOf,
): void {
  const attributes = span.attributes;
  const stage = attributes[STAGE_ATTRIBUTE];
  if (typeof stage === 'string') {
    metrics.stageDuration.observe({ stage }, toMilliseconds(span.duration) / 1000);
  }
  if (attributes[GEN_AI.operation] === 'chat') {
    const model = String(attributes[MODEL_NAME_ATTRIBUTE] ?? attributes[GEN_AI.requestModel] ?? 'unknown');
    const input = count(attributes[GEN_AI.inputTokens]);
    const output = count(attributes[GEN_AI.outputTokens]);
    metrics.llmTokens.inc({ model, tenant, direction: 'input' }, input);
    metrics.llmTokens.inc({ model, tenant, direction: 'output' }, output);
    // Priced once, as the span ended (span-cost.ts); computed here only for spans that were not.
    const cost = attributes[COST_ATTRIBUTE];
    metrics.llmCost.inc(
      { model, tenant },
      typeof cost === 'number' ? cost : (priceOf?.(model, input, output) ?? 0),
    );
  }
  if (attributes[GEN_AI.operation] === 'embeddings') observeEmbedding(metrics, span, tenant, priceOf);
  if (span.events.length > 0) countDecisions(metrics, span);
  if (span.name === 'retrieve') {
    const results = attributes[RETRIEVAL_RESULTS_ATTRIBUTE];
    if (typeof results === 'number') metrics.retrievedDocuments.observe(results);
  }
  if (span.name === 'ingest.file') {
    if (span.status.code === SpanStatusCode.ERROR) {
      metrics.ingestFilesFailed.inc({ code: String(attributes[ERROR_CODE_ATTRIBUTE] ?? 'internal_error') });
    } else {
      metrics.ingestFilesProcessed.inc();
      metrics.ingestChunks.inc(count(attributes[INGEST_CHUNKS_ATTRIBUTE]));
    }
  }
}

/** Tokens and cost of one embedding call (`embed`, `embed_query`), priced like chat calls. */
function observeEmbedding(
  metrics: GroundworkMetrics,
  span: ReadableSpan,
  tenant: string,
  priceOf?: PriceOf,
): void {
  const attributes = span.attributes;
  const named = attributes[MODEL_NAME_ATTRIBUTE];
  const model =
    typeof named === 'string'
      ? named
      : `${attributes[GEN_AI.provider] ?? 'unknown'}:${attributes[GEN_AI.requestModel] ?? 'unknown'}`;
  const tokens = count(attributes[GEN_AI.inputTokens]);
  if (tokens === 0) return;
  metrics.embeddingTokens.inc({ model, tenant }, tokens);
  const cost = attributes[COST_ATTRIBUTE];
  metrics.embeddingCost.inc(
    { model, tenant },
    typeof cost === 'number' ? cost : (priceOf?.(model, tokens, 0) ?? 0),
  );
}

/**
 * Counts the guardrail decisions recorded as events of `span`, one increment per distinct
 * `{stage, guardrail, action}`: the passage check of one answer records a decision per passage, mostly
 * the same one.
 */
function countDecisions(metrics: GroundworkMetrics, span: ReadableSpan): void {
  const counts = new Map<
    string,
    { labels: Record<'stage' | 'guardrail' | 'action', string>; count: number }
  >();
  for (const event of span.events) {
    if (event.name !== 'guardrail.decision' || !event.attributes) continue;
    const stage = String(event.attributes['guardrail.stage'] ?? 'unknown');
    const guardrail = String(event.attributes['guardrail.name'] ?? 'unknown');
    const action = String(event.attributes['guardrail.action'] ?? 'unknown');
    const key = `${stage}\u0000${guardrail}\u0000${action}`;
    const entry = counts.get(key);
    if (entry) entry.count++;
    else counts.set(key, { labels: { stage, guardrail, action }, count: 1 });
  }
  for (const { labels, count } of counts.values()) metrics.guardrailDecisions.inc(labels, count);
}

function count(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : 0;
}
