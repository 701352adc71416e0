/**
 * @module models/embedding/embed-with-retries
 * One embedding request with a per-attempt timeout and retries of retryable failures (408/409/429/5xx,
 * network errors, timeouts) with backoff. A 429's wait comes from `retry-after-ms` / `retry-after`,
 * else from OpenAI's `x-ratelimit-reset-*` headers, else exponential backoff with jitter; a wait
 * longer than `maxDelayMs` ends the retries. Failures are classified as chat models' are.
 */
import {
  APICallError,
  type EmbeddingModelV3,
  type EmbeddingModelV3CallOptions,
  type EmbeddingModelV3Result,
} from '@ai-sdk/provider';
import { raceAbort, sleep } from '../../os/abortable.ts';
import { startAttempt } from '../attempt.ts';
import { classifyFailure, type Failure } from '../classify-failure.ts';
import { type BackoffSettings, retryDelay } from '../retry-after.ts';
import { type EmbeddingFailureContext, toEmbeddingError } from './embedding-errors.ts';
import { parseRateLimitReset } from './rate-limit-reset.ts';

/** How hard to try one request. */
export interface EmbeddingRetrySettings extends BackoffSettings {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  /** Hears every failed attempt (logs, tests). */
  readonly onAttemptFailed?: (
    failure: Failure & { readonly attempt: number; readonly nextDelayMs?: number },
  ) => void;
}

/** Embeds `options.values` with `model`, retrying; throws `ModelError` or the caller's abort. */
export async function embedWithRetries(
  model: EmbeddingModelV3,
  options: EmbeddingModelV3CallOptions,
  settings: EmbeddingRetrySettings,
  identity: Omit<EmbeddingFailureContext, 'attempts' | 'timeoutMs'>,
): Promise<EmbeddingModelV3Result> {
  const callerSignal = options.abortSignal;
  for (let retry = 0; ; retry++) {
    callerSignal?.throwIfAborted();
    const attempt = startAttempt(callerSignal, settings.timeoutMs);
    try {
      return await raceAbort(model.doEmbed({ ...options, abortSignal: attempt.signal }), attempt.signal);
    } catch (error) {
      callerSignal?.throwIfAborted();
      const failure = withResetWait(classifyFailure(error, attempt.timedOut), error);
      if (failure.kind === 'unknown') throw error;
      const delay =
        retry < settings.maxRetries ? retryDelay(retry, failure.retryAfterMs, settings) : undefined;
      const nextDelayMs = failure.retryable ? delay : undefined;
      settings.onAttemptFailed?.({ ...failure, attempt: retry + 1, nextDelayMs });
      if (nextDelayMs === undefined) {
        const context = { ...identity, attempts: retry + 1, timeoutMs: settings.timeoutMs };
        throw toEmbeddingError({ ...failure, kind: failure.kind }, error, context);
      }
      await sleep(nextDelayMs, { signal: callerSignal });
    } finally {
      attempt.dispose();
    }
  }
}

/** A 429 without retry-after waits for the rate-limit window to reset, when the headers say when. */
function withResetWait(failure: Failure, error: unknown): Failure {
  if (failure.kind !== 'rate_limited' || failure.retryAfterMs !== undefined) return failure;
  if (!APICallError.isInstance(error)) return failure;
  const retryAfterMs = parseRateLimitReset(error.responseHeaders);
  return retryAfterMs === undefined ? failure : { ...failure, retryAfterMs };
}
