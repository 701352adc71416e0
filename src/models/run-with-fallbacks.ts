/**
 * @module models/run-with-fallbacks
 * The retry loop shared by `doGenerate` and `doStream`: each model in order, each with up to
 * `maxRetries` retries of retryable failures, then the next model. A caller's abort ends everything
 * at once; a non-retryable failure ends it without trying the fallbacks (they would fail the same
 * way on a bad request, and a malformed answer is not an outage).
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { sleep } from '../os/abortable.ts';
import { type Attempt, startAttempt } from './attempt.ts';
import { classifyFailure, type Failure } from './classify-failure.ts';
import { failureToModelError } from './failure-error.ts';
import { type BackoffSettings, retryDelay } from './retry-after.ts';

/** A model with the name it was configured under. */
export interface NamedModel {
  /** `provider:model`, as configured. */
  readonly name: string;
  readonly provider: string;
  readonly modelId: string;
  readonly model: LanguageModelV3;
}

/** Reported for every failed attempt (for logs and traces). */
export interface AttemptFailure {
  readonly model: string;
  readonly attempt: number;
  readonly failure: Failure;
  readonly error: unknown;
  /** Wait before the next attempt on the same model; undefined when moving on or giving up. */
  readonly nextDelayMs?: number;
}

/** How hard to try. */
export interface ResilienceSettings extends BackoffSettings {
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly onAttemptFailed?: (failure: AttemptFailure) => void;
}

/** What an attempt function receives; it owns `attempt` once it returns successfully. */
export interface AttemptContext {
  readonly entry: NamedModel;
  readonly attempt: Attempt;
  /** Requests made so far, this one included. */
  readonly attempts: number;
  /** `provider:model` of every model tried so far, this one included. */
  readonly tried: readonly string[];
}

/** Runs `call` against the models until one succeeds; throws `ModelError` (or the caller's abort). */
export async function runWithFallbacks<T>(
  models: readonly NamedModel[],
  settings: ResilienceSettings,
  callerSignal: AbortSignal | undefined,
  call: (context: AttemptContext) => Promise<T>,
): Promise<T> {
  const tried: string[] = [];
  let attempts = 0;
  let last: { failure: Failure; error: unknown; entry: NamedModel } | undefined;
  for (const entry of models) {
    tried.push(entry.name);
    for (let retry = 0; retry <= settings.maxRetries; retry++) {
      callerSignal?.throwIfAborted();
      attempts++;
      const attempt = startAttempt(callerSignal, settings.timeoutMs);
      try {
        return await call({ entry, attempt, attempts, tried: [...tried] });
      } catch (error) {
        attempt.dispose();
        callerSignal?.throwIfAborted();
        const failure = classifyFailure(error, attempt.timedOut);
        if (failure.kind === 'unknown') throw error;
        last = { failure, error, entry };
        const delay =
          retry < settings.maxRetries ? retryDelay(retry, failure.retryAfterMs, settings) : undefined;
        const nextDelayMs = failure.retryable ? delay : undefined;
        settings.onAttemptFailed?.({ model: entry.name, attempt: attempts, failure, error, nextDelayMs });
        if (!failure.retryable) throw toModelError(last, { attempts, tried, timeoutMs: settings.timeoutMs });
        if (nextDelayMs === undefined) break;
        await sleep(nextDelayMs, { signal: callerSignal });
      }
    }
  }
  if (!last) throw new Error('runWithFallbacks needs at least one model.');
  throw toModelError(last, { attempts, tried, timeoutMs: settings.timeoutMs });
}

/** Turns the last failure into our error; unknown errors are returned as they are. */
export function toModelError(
  last: { failure: Failure; error: unknown; entry: NamedModel },
  context: { attempts: number; tried: readonly string[]; timeoutMs: number },
): unknown {
  const { failure, error, entry } = last;
  if (failure.kind === 'unknown') return error;
  return failureToModelError({ ...failure, kind: failure.kind }, error, {
    who: `The language model ${entry.name}`,
    provider: entry.provider,
    modelId: entry.modelId,
    attempts: context.attempts,
    tried: context.tried,
    timeoutMs: context.timeoutMs,
    reason: describeCause(error),
    keySetting: 'GROUNDWORK_LLM_API_KEY',
    modelSetting: 'GROUNDWORK_LLM',
  });
}

function describeCause(error: unknown): string {
  if (error instanceof Error) return error.message;
  const message = (error as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : String(error);
}
