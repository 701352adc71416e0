/**
 * @module models/errors
 * The final failures of a language-model call, after retries and fallbacks. They are `system` faults
 * (the caller's request was fine); the server edge maps each code to an HTTP status (see
 * `MODEL_ERROR_HTTP_STATUS`). A caller's own abort is not one of these: it stays an abort.
 */
import { GroundworkError } from '../errors.ts';

/** Stable codes of model-call failures. */
export type ModelErrorCode =
  | 'model_timeout'
  | 'model_rate_limited'
  | 'model_unavailable'
  | 'model_bad_response'
  | 'model_request_rejected';

/**
 * The HTTP status the server edge should answer with for each code. Kept here so the mapping is
 * decided once, next to the codes; the edge imports it.
 */
export const MODEL_ERROR_HTTP_STATUS: Readonly<Record<ModelErrorCode, number>> = {
  model_timeout: 504,
  model_rate_limited: 503,
  model_unavailable: 502,
  model_bad_response: 502,
  model_request_rejected: 502,
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
    super({ code, message, category: 'system', ...options });
    this.name = 'ModelError';
  }

  /** `instanceof` that also works across duplicated package copies. */
  static isModelError(error: unknown): error is ModelError {
    return GroundworkError.isInstance(error) && error.name === 'ModelError';
  }
}
