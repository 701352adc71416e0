/**
 * @module models/errors
 * The final failures of a language-model call, after retries and fallbacks. They are `system` faults
 * (the caller's request was fine); each code has a kind (`MODEL_ERROR_KINDS`) that the server edge
 * turns into an HTTP status. A caller's own abort is not one of these: it stays an abort.
 */
import { type ErrorKind, GroundworkError } from '../errors.ts';

/** Stable codes of model-call failures. */
export type ModelErrorCode =
  | 'model_timeout'
  | 'model_rate_limited'
  | 'model_unavailable'
  | 'model_bad_response'
  | 'model_request_rejected';

/**
 * The kind of each code, decided once next to the codes: the model is a service we call, so its
 * failures are the upstream's (502), a rate limit is a temporary unavailability (503), a timeout 504.
 */
export const MODEL_ERROR_KINDS: Readonly<Record<ModelErrorCode, ErrorKind>> = {
  model_timeout: 'timeout',
  model_rate_limited: 'unavailable',
  model_unavailable: 'upstream-failed',
  model_bad_response: 'upstream-failed',
  model_request_rejected: 'upstream-failed',
};

/** Facts about a failed model call, for logs and API bodies (never the API key or the prompt). */
export type ModelErrorDetails = {
  /** Provider of the model that failed last, as configured (`openai`, `anthropic`, …). */
  readonly provider: string;
  readonly model: string;
  /** HTTP status of the last failed attempt; undefined for timeouts and network errors. */
  readonly status?: number;
  /** Requests made across all models. */
  readonly attempts: number;
  /** `provider:model` of every model tried, in order. */
  readonly tried: readonly string[];
  /** Wait the provider asked for on the last rate-limited attempt. */
  readonly retryAfterMs?: number;
};

/** A language-model call that failed for good. */
export class ModelError extends GroundworkError {
  declare readonly code: ModelErrorCode;
  declare readonly details: ModelErrorDetails & Readonly<Record<string, unknown>>;

  constructor(
    code: ModelErrorCode,
    message: string,
    options: { details: ModelErrorDetails; cause?: unknown; retryable: boolean },
  ) {
    super({ code, message, category: 'system', kind: MODEL_ERROR_KINDS[code], ...options });
    this.name = 'ModelError';
  }

  /** `instanceof` that also works across duplicated package copies. */
  static isModelError(error: unknown): error is ModelError {
    return GroundworkError.isInstance(error) && error.name === 'ModelError';
  }
}
