/**
 * @module models/failure-error
 * A classified provider failure as our `ModelError`, for chat and embedding models alike: one code
 * per kind (`model_rate_limited`, `model_unavailable`, …) and a message naming the model and the
 * settings to check.
 */
import type { Failure } from './classify-failure.ts';
import { ModelError, type ModelErrorCode } from './errors.ts';

const CODES: Record<Exclude<Failure['kind'], 'unknown'>, ModelErrorCode> = {
  timeout: 'model_timeout',
  rate_limited: 'model_rate_limited',
  unavailable: 'model_unavailable',
  bad_response: 'model_bad_response',
  rejected: 'model_request_rejected',
};

/** Who failed, after what, and which settings name its key and model. */
export interface FailureContext {
  /** "The language model openai:gpt-4o", "The embedding model …". */
  readonly who: string;
  readonly provider: string;
  readonly modelId: string;
  readonly attempts: number;
  readonly tried: readonly string[];
  readonly timeoutMs: number;
  /** The cause, as the message shows it. */
  readonly reason: string;
  /** The settings a rejected request should be checked against, e.g. GROUNDWORK_LLM_API_KEY. */
  readonly keySetting: string;
  readonly modelSetting: string;
}

/** Our error for a classified (not `unknown`) failure. */
export function failureToModelError(
  failure: Failure & { kind: Exclude<Failure['kind'], 'unknown'> },
  cause: unknown,
  context: FailureContext,
): ModelError {
  const { who, reason } = context;
  const status = failure.status === undefined ? '' : ` (HTTP ${failure.status})`;
  const after = `after ${context.attempts} attempt${context.attempts === 1 ? '' : 's'}`;
  const messages: Record<keyof typeof CODES, string> = {
    timeout: `${who} did not answer within ${context.timeoutMs} ms, ${after}.`,
    rate_limited: `${who} is rate-limited${status}, ${after}; try again later.`,
    unavailable: `${who} is unavailable${status}, ${after}: ${reason}`,
    bad_response: `${who} sent a response that could not be read${status}: ${reason}`,
    rejected: `${who} rejected the request${status}: ${reason}. Check the API key (${context.keySetting}) and the model name (${context.modelSetting}).`,
  };
  return new ModelError(CODES[failure.kind], messages[failure.kind], {
    retryable: failure.retryable,
    cause,
    details: {
      provider: context.provider,
      model: context.modelId,
      ...(failure.status === undefined ? {} : { status: failure.status }),
      ...(failure.retryAfterMs === undefined ? {} : { retryAfterMs: failure.retryAfterMs }),
      attempts: context.attempts,
      tried: context.tried,
    },
  });
}
