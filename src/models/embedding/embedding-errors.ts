/**
 * @module models/embedding/embedding-errors
 * The final failures of a hosted embedding call, as the same `ModelError` codes chat models end in
 * (`model_rate_limited`, `model_unavailable`, …), with messages that name the embedder's settings.
 */
import type { Failure } from '../classify-failure.ts';
import { ModelError } from '../errors.ts';
import { failureToModelError } from '../failure-error.ts';

/** Who failed and after how many requests. */
export interface EmbeddingFailureContext {
  /** `provider:model`. */
  readonly name: string;
  readonly provider: string;
  readonly modelId: string;
  readonly attempts: number;
  readonly timeoutMs: number;
}

/** Our error for a classified failure. */
export function toEmbeddingError(
  failure: Failure & { kind: Exclude<Failure['kind'], 'unknown'> },
  error: unknown,
  context: EmbeddingFailureContext,
): ModelError {
  return failureToModelError(failure, error, {
    who: `The embedding model ${context.name}`,
    provider: context.provider,
    modelId: context.modelId,
    attempts: context.attempts,
    tried: [context.name],
    timeoutMs: context.timeoutMs,
    reason: error instanceof Error ? error.message : String(error),
    keySetting: 'GROUNDWORK_EMBEDDER_API_KEY',
    modelSetting: 'GROUNDWORK_EMBEDDER',
  });
}

/** A vector of the wrong length (or a wrong count of vectors): never stored, not worth retrying. */
export function wrongShapeError(
  context: EmbeddingFailureContext,
  detail: string,
  dimensions: number,
): ModelError {
  return new ModelError(
    'model_bad_response',
    `The embedding model ${context.name} ${detail}; expected ${dimensions} dimensions. Check GROUNDWORK_EMBEDDER_DIMENSIONS against the model's output; nothing was stored.`,
    {
      retryable: false,
      details: {
        provider: context.provider,
        model: context.modelId,
        attempts: context.attempts,
        tried: [context.name],
      },
    },
  );
}
