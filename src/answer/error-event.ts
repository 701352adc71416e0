/**
 * @module answer/error-event
 * Turns a failure into the `error` event of a streamed answer. Callers get the stable code; messages
 * of system faults are replaced by safe ones, since a provider's text may carry internals.
 */
import { DATABASE_UNAVAILABLE_MESSAGE, findDatabaseUnavailable, GroundworkError } from '../errors.ts';
import type { AskEvent } from '../spec/answer.ts';

/** What clients are told about language-model failures. */
export const MODEL_ERROR_MESSAGES: Readonly<Record<string, string>> = {
  model_timeout: 'The language model did not answer in time; try again.',
  model_rate_limited: 'The language model is rate-limited; try again shortly.',
  model_unavailable: 'The language model is unavailable right now.',
  model_bad_response: 'The language model returned a response that could not be used.',
};

type ErrorEvent = Extract<AskEvent, { type: 'error' }>;

/** The error each event was made from, so the HTTP edge answers with its kind (not a guess from the code). */
const ORIGINS = new WeakMap<ErrorEvent, GroundworkError>();

/** The error `event` was made from, when it was one of ours. */
export function errorOfEvent(event: ErrorEvent): GroundworkError | undefined {
  return ORIGINS.get(event);
}

/** The `error` event for any thrown value. */
export function toErrorEvent(error: unknown, signal?: AbortSignal): ErrorEvent {
  if (signal?.aborted) return { type: 'error', code: 'cancelled', message: 'The request was cancelled.' };
  // A database outage is the same event wherever it surfaced (a layer may have wrapped it).
  const unavailable = findDatabaseUnavailable(error);
  if (unavailable)
    return remember(
      { type: 'error', code: unavailable.code, message: DATABASE_UNAVAILABLE_MESSAGE },
      unavailable,
    );
  if (GroundworkError.isInstance(error)) {
    const message =
      error.category === 'user'
        ? error.message
        : (MODEL_ERROR_MESSAGES[error.code] ?? 'The server could not complete the request.');
    return remember({ type: 'error', code: error.code, message }, error);
  }
  return { type: 'error', code: 'internal_error', message: 'The server could not complete the request.' };
}

function remember(event: ErrorEvent, error: GroundworkError): ErrorEvent {
  ORIGINS.set(event, error);
  return event;
}
