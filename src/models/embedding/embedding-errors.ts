/**
 * @module models/embedding/embedding-errors
 * The final failures of a hosted embedding call, as the same `ModelError` codes chat models end in
 * (`model_rate_limited`, `model_unavailable`, …), with messages that name the embedder's settings.
 */
import type { Failure } from '../classify-failure.ts';
import { ModelError, type ModelErrorCode } from '../errors.ts';

/** Who failed and after how many requests. */
export interface EmbeddingFailureContext {
  /** `provider:model`. */
  readonly name: string;
  readonly provider: string;
  readonly modelId: string;
  readonly attempts: number;
  readonly timeoutMs: number;
}

const CODES: Record<Exclude<Failure['kind'], 'unknown'>, ModelErrorCode> = {
  timeout: 'model_timeout',
  rate_limited: 'model_rate_limited',
  unavailable: 'model_unavailable',
  bad_response: 'model_bad_response',
  rejected: 'model_request_rejected',
};

/** Our error for a classified failure. */
export function toEmbeddingError(
  failure: Failure & { kind: Exclude<Failure['kind'], 'unknown'> },
  error: unknown,
  context: EmbeddingFailureContext,
): ModelError {
  const status = failure.status === undefined ? '' : ` (HTTP ${failure.status})`;
  const reason = error instanceof Error ? error.message : String(error);
  const after = `after ${context.attempts} attempt${context.attempts === 1 ? '' : 's'}`;
  const who = `The embedding model ${context.name}`;
  const messages: Record<keyof typeof CODES, string> = {
    timeout: `${who} did not answer within ${context.timeoutMs} ms, ${after}.`,
    rate_limited: `${who} is rate-limited${status}, ${after}; try again later.`,
    unavailable: `${who} is unavailable${status}, ${after}: ${reason}`,
    bad_response: `${who} sent a response that could not be read${status}: ${reason}`,
    rejected: `${who} rejected the request${status}: ${reason}. Check the API key (GROUNDWORK_EMBEDDER_API_KEY) and the model name (GROUNDWORK_EMBEDDER).`,
  };
  return new ModelError(CODES[failure.kind], messages[failure.kind], {
    retryable: failure.retryable,
    cause: error,
    details: {
      provider: context.provider,
      model: context.modelId,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
      attempts: context.attempts,
      tried: [context.name],
    },
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
