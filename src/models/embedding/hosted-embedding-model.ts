/**
 * @module models/embedding/hosted-embedding-model
 * What a hosted embedder adds around a provider's embedding model: texts split into requests by an
 * approximate token budget (token-batches.ts), at most `concurrency` requests in flight per process
 * (shared by every caller), each request retried (embed-with-retries.ts), every vector checked for
 * the configured length before anyone can store it, tokens counted (the provider's figure when it
 * reports one, our estimate otherwise), and personal data replaced by placeholders before texts leave
 * the machine when `redact` is on (ADR 0092).
 */
import type { EmbeddingModelV3, EmbeddingModelV3CallOptions, EmbeddingModelV3Result } from '@ai-sdk/provider';
import { PiiVault, redactPii } from '../../guardrails/pii.ts';
import { type EmbeddingRetrySettings, embedWithRetries } from './embed-with-retries.ts';
import { wrongShapeError } from './embedding-errors.ts';
import type { ProtocolLimits } from './known-models.ts';
import { RequestSlots } from './request-slots.ts';
import { splitByTokens } from './token-batches.ts';

/** Settings of the wrapper. */
export interface HostedEmbeddingSettings extends EmbeddingRetrySettings {
  /** `provider:model`, for messages. */
  readonly name: string;
  readonly dimensions: number;
  readonly limits: ProtocolLimits;
  /** Requests in flight at once, across all callers. */
  readonly concurrency: number;
  /** Replace personal data with placeholders before sending (hosted providers). */
  readonly redact: boolean;
  /** Options every request carries (e.g. `{ openai: { dimensions: 512 } }`). */
  readonly providerOptions?: EmbeddingModelV3CallOptions['providerOptions'];
}

/** Wraps a provider's embedding model; see the module comment. */
export function createHostedEmbeddingModel(
  inner: EmbeddingModelV3,
  settings: HostedEmbeddingSettings,
): EmbeddingModelV3 {
  const slots = new RequestSlots(settings.concurrency);
  // Reported as configured (`openai`, not the SDK's `openai.embedding`): the name vectors are stored
  // under, priced by, and resolved from again after a switch.
  const provider = settings.name.slice(0, settings.name.indexOf(':'));
  const identity = { name: settings.name, provider, modelId: inner.modelId };
  return {
    specificationVersion: 'v3',
    provider,
    modelId: inner.modelId,
    // Any number: the wrapper makes requests of the size the provider takes.
    maxEmbeddingsPerCall: Number.POSITIVE_INFINITY,
    supportsParallelCalls: true,
    async doEmbed(options: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
      const texts = settings.redact ? options.values.map(redact) : options.values;
      const batches = splitByTokens(texts, settings.limits);
      // One failed request ends the call: the others are aborted rather than paid for.
      const stop = new AbortController();
      const signal = options.abortSignal ? AbortSignal.any([options.abortSignal, stop.signal]) : stop.signal;
      const providerOptions = mergeOptions(settings.providerOptions, options.providerOptions);
      const results = await Promise.all(
        batches.map((batch) =>
          slots
            .run(async () => {
              signal.throwIfAborted();
              const result = await embedWithRetries(
                inner,
                { ...options, values: [...batch.values], abortSignal: signal, providerOptions },
                settings,
                identity,
              );
              check(result, batch.values.length, settings, identity);
              return { result, estimate: batch.tokens };
            })
            .catch((error: unknown) => {
              stop.abort(error);
              throw error;
            }),
        ),
      );
      const tokens = results.reduce(
        (sum, { result, estimate }) => sum + (result.usage?.tokens ?? estimate),
        0,
      );
      return {
        embeddings: results.flatMap(({ result }) => result.embeddings),
        usage: { tokens },
        warnings: results.flatMap(({ result }) => result.warnings),
      };
    },
  };
}

function redact(text: string): string {
  return redactPii(text, new PiiVault()).text;
}

function check(
  result: EmbeddingModelV3Result,
  expected: number,
  settings: HostedEmbeddingSettings,
  identity: { name: string; provider: string; modelId: string },
): void {
  const context = { ...identity, attempts: 1, timeoutMs: settings.timeoutMs };
  if (result.embeddings.length !== expected) {
    throw wrongShapeError(
      context,
      `returned ${result.embeddings.length} vectors for ${expected} texts`,
      settings.dimensions,
    );
  }
  const wrong = result.embeddings.find((vector) => vector.length !== settings.dimensions);
  if (wrong)
    throw wrongShapeError(context, `returned a ${wrong.length}-dimensional vector`, settings.dimensions);
}

function mergeOptions(
  base: EmbeddingModelV3CallOptions['providerOptions'],
  extra: EmbeddingModelV3CallOptions['providerOptions'],
): EmbeddingModelV3CallOptions['providerOptions'] {
  if (!base) return extra;
  if (!extra) return base;
  const merged: NonNullable<EmbeddingModelV3CallOptions['providerOptions']> = { ...base };
  for (const [key, value] of Object.entries(extra)) merged[key] = { ...base[key], ...value };
  return merged;
}
