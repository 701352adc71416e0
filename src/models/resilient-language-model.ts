/**
 * @module models/resilient-language-model
 * A `LanguageModelV3` around one or more provider models that adds what the providers leave to the
 * caller: a per-call timeout, retries with backoff that honour `retry-after`, fallback models, and
 * final failures as `ModelError`. Retries happen here and only here: the AI SDK's own retries
 * (`generateText({ maxRetries })`, default 2) only retry its `APICallError`, which never leaves this
 * wrapper, so they cannot multiply ours; pass `maxRetries: 0` anyway (`MODEL_CALL_SETTINGS`) to say so.
 */
import type {
  LanguageModelV3,
  LanguageModelV3CallOptions,
  LanguageModelV3GenerateResult,
  LanguageModelV3StreamResult,
  SharedV3ProviderMetadata,
} from '@ai-sdk/provider';
import { raceAbort } from '../os/abortable.ts';
import { commitStream } from './resilient-stream.ts';
import { type NamedModel, type ResilienceSettings, runWithFallbacks } from './run-with-fallbacks.ts';

/** Settings for `generateText` / `streamText` with our models: retries are ours, not the SDK's. */
export const MODEL_CALL_SETTINGS = { maxRetries: 0 } as const;

/** Defaults for the backoff; the timeout and retry count come from the config. */
export const DEFAULT_BACKOFF = { initialDelayMs: 500, maxDelayMs: 30_000 } as const;

/**
 * Wraps `models` (primary first, then fallbacks). The wrapper reports the primary's provider and
 * model id; `providerMetadata.groundwork.model` on a result says which model actually answered.
 *
 * @example
 * const model = createResilientLanguageModel([primary, fallback], { timeoutMs: 60_000, maxRetries: 2, ...DEFAULT_BACKOFF });
 * const { text } = await generateText({ model, prompt, ...MODEL_CALL_SETTINGS });
 */
export function createResilientLanguageModel(
  models: readonly NamedModel[],
  settings: ResilienceSettings,
): LanguageModelV3 {
  const primary = models[0];
  if (!primary) throw new Error('createResilientLanguageModel needs at least one model.');
  return {
    specificationVersion: 'v3',
    provider: primary.provider,
    modelId: primary.modelId,
    get supportedUrls() {
      return primary.model.supportedUrls;
    },
    doGenerate(options: LanguageModelV3CallOptions): Promise<LanguageModelV3GenerateResult> {
      return runWithFallbacks(models, settings, options.abortSignal, async ({ entry, attempt, attempts }) => {
        try {
          const result = await raceAbort(
            entry.model.doGenerate({ ...options, abortSignal: attempt.signal }),
            attempt.signal,
          );
          return { ...result, providerMetadata: withServedBy(result.providerMetadata, entry, attempts) };
        } finally {
          attempt.dispose();
        }
      });
    },
    doStream(options: LanguageModelV3CallOptions): Promise<LanguageModelV3StreamResult> {
      return runWithFallbacks(models, settings, options.abortSignal, async (context) => {
        const result = await raceAbort(
          context.entry.model.doStream({ ...options, abortSignal: context.attempt.signal }),
          context.attempt.signal,
        );
        const stream = await commitStream(result.stream, context, {
          callerSignal: options.abortSignal,
          timeoutMs: settings.timeoutMs,
          decorateFinish: (metadata) => withServedBy(metadata, context.entry, context.attempts),
        });
        return { ...result, stream };
      });
    },
  };
}

/** Adds which model answered, after how many requests, to the provider metadata. */
function withServedBy(
  metadata: SharedV3ProviderMetadata | undefined,
  entry: NamedModel,
  attempts: number,
): SharedV3ProviderMetadata {
  return { ...metadata, groundwork: { model: entry.name, attempts } };
}
