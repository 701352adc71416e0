/**
 * @module guardrails/moderation-models/call-with-retries
 * One moderation request with the resilience every provider call has (ADR 0006): a per-attempt
 * timeout, retries of retryable failures (408/409/429/5xx, network errors, timeouts) with backoff and
 * jitter or exactly the provider's `retry-after`, no retry of other failures, and the caller's abort
 * ending everything at once. Final failures are `ModerationModelError`s.
 */
import { type Attempt, startAttempt } from '../../models/attempt.ts';
import { classifyFailure, type Failure } from '../../models/classify-failure.ts';
import { DEFAULT_BACKOFF } from '../../models/resilient-language-model.ts';
import { type BackoffSettings, retryDelay } from '../../models/retry-after.ts';
import { raceAbort, sleep } from '../../os/abortable.ts';
import { ModerationModelError } from './errors.ts';

/** How hard to try. */
export interface ModerationCallSettings extends Partial<BackoffSettings> {
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

/**
 * Runs `call` until it succeeds, a failure is not retryable, or the retries are spent.
 *
 * @example
 * const body = await callWithRetries('openai-moderation:omni-moderation-latest', settings, signal, (attempt) => post(attempt.signal));
 */
export async function callWithRetries<T>(
  name: string,
  settings: ModerationCallSettings,
  callerSignal: AbortSignal | undefined,
  call: (attempt: Attempt) => Promise<T>,
): Promise<T> {
  const backoff = { ...DEFAULT_BACKOFF, ...settings };
  let attempts = 0;
  for (let retry = 0; ; retry++) {
    callerSignal?.throwIfAborted();
    attempts++;
    const attempt = startAttempt(callerSignal, settings.timeoutMs);
    try {
      return await raceAbort(call(attempt), attempt.signal);
    } catch (error) {
      callerSignal?.throwIfAborted();
      const failure = classifyFailure(error, attempt.timedOut);
      if (failure.kind === 'unknown') throw error;
      const delay =
        failure.retryable && retry < settings.maxRetries
          ? retryDelay(retry, failure.retryAfterMs, backoff)
          : undefined;
      if (delay === undefined) throw toError(name, failure, error, attempts, settings.timeoutMs);
      await sleep(delay, { signal: callerSignal });
    } finally {
      attempt.dispose();
    }
  }
}

function toError(name: string, failure: Failure, error: unknown, attempts: number, timeoutMs: number) {
  const after = `after ${attempts} attempt${attempts === 1 ? '' : 's'}`;
  const status = failure.status === undefined ? '' : ` (HTTP ${failure.status})`;
  const reason = error instanceof Error ? error.message : String(error);
  const details = {
    model: name,
    attempts,
    ...(failure.status === undefined ? {} : { status: failure.status }),
  };
  const options = { details, cause: error, retryable: failure.retryable };
  switch (failure.kind) {
    case 'timeout':
      return new ModerationModelError(
        'moderation_timeout',
        `The moderation model ${name} did not answer within ${timeoutMs} ms, ${after}.`,
        options,
      );
    case 'rate_limited':
      return new ModerationModelError(
        'moderation_rate_limited',
        `The moderation model ${name} is rate-limited${status}, ${after}.`,
        options,
      );
    case 'bad_response':
      return new ModerationModelError(
        'moderation_bad_response',
        `The moderation model ${name} sent a response that could not be read${status}: ${reason}`,
        options,
      );
    case 'rejected':
      return new ModerationModelError(
        'moderation_request_rejected',
        `The moderation model ${name} rejected the request${status}: ${reason}. Check guardrails.moderation.classifier (URL, model, GROUNDWORK_MODERATION_API_KEY).`,
        options,
      );
    default:
      return new ModerationModelError(
        'moderation_unavailable',
        `The moderation model ${name} is unavailable${status}, ${after}: ${reason}`,
        options,
      );
  }
}
