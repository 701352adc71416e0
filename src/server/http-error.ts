/**
 * @module server/http-error
 * Errors become HTTP responses here, at the edge, and only here. The status is a lookup on the
 * error's kind (`STATUS_BY_KIND`), never a guess from the spelling of its code. Every error body has
 * the same shape, a stable `code` and a message; never a stack trace.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MODEL_ERROR_MESSAGES } from '../answer/error-event.ts';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  type ErrorKind,
  findDatabaseUnavailable,
  findStorageFull,
  GroundworkError,
  SEARCH_ENGINE_UNAVAILABLE_MESSAGE,
  StorageFullError,
} from '../errors.ts';
import { logger } from '../observability/logger.ts';

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** The HTTP status of each kind of error. */
export const STATUS_BY_KIND: Readonly<Record<ErrorKind, ContentfulStatusCode>> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  'too-large': 413,
  'unsupported-media': 415,
  // Understood and declined (a guardrail): not a malformed request.
  refused: 422,
  limited: 429,
  internal: 500,
  // A language model or another service we call failed: we are its gateway.
  'upstream-failed': 502,
  unavailable: 503,
  timeout: 504,
  'storage-full': 507,
};

/** The HTTP status of an error: a lookup on its kind. */
export function statusFor(error: GroundworkError): ContentfulStatusCode {
  return STATUS_BY_KIND[error.kind] ?? (error.category === 'user' ? 400 : 500);
}

/**
 * Hono's `onError`: known errors keep their code; anything else is a 500 that says little. A database
 * outage is a 503 `database_unavailable` with `Retry-After` wherever it surfaces, even wrapped in
 * another error.
 */
export function handleError(error: Error, context: Context): Response {
  const unavailable = findDatabaseUnavailable(error);
  if (unavailable) {
    context.header('retry-after', String(retryAfterOf(unavailable)));
    logger.warn({ err: unavailable }, 'Request failed: the database is unavailable.');
    return context.json(
      { error: { code: unavailable.code, message: DATABASE_UNAVAILABLE_MESSAGE } } satisfies ErrorBody,
      503,
    );
  }
  // A full disk is the operator's to fix, not the caller's fault and not a bug: 507, whatever wrapped it.
  if (findStorageFull(error) && !(GroundworkError.isInstance(error) && error.code === 'insufficient_storage'))
    return handleError(new StorageFullError({ cause: error }), context);
  if (GroundworkError.isInstance(error)) {
    const status = statusFor(error);
    // A refusal that says when to come back (a full ingestion queue) carries it in Retry-After.
    if (
      (status === 429 || status === 503) &&
      typeof (error as { retryAfterSeconds?: unknown }).retryAfterSeconds === 'number'
    )
      context.header('retry-after', String(retryAfterOf(error)));
    const body: ErrorBody = {
      error: {
        code: error.code,
        message:
          status >= 500
            ? (MODEL_ERROR_MESSAGES[error.code] ??
              (error.code === 'insufficient_storage'
                ? error.message
                : error.code === 'search_engine_unavailable'
                  ? SEARCH_ENGINE_UNAVAILABLE_MESSAGE
                  : 'The server could not complete the request.'))
            : error.message,
        ...(status < 500 && Object.keys(error.details).length > 0 ? { details: error.details } : {}),
      },
    };
    if (status >= 500) logger[status === 503 ? 'warn' : 'error']({ err: error }, 'Request failed.');
    // A refused body (upload limits) is left unread, so the connection ends with this response.
    if (status === 413) context.header('connection', 'close');
    return context.json(body, status);
  }
  logger.error({ err: error }, 'Request failed.');
  return context.json(
    { error: { code: 'internal_error', message: 'The server could not complete the request.' } },
    500,
  );
}

/** Seconds for `Retry-After` of a `database_unavailable` error. */
export function retryAfterOf(error: GroundworkError): number {
  const seconds = (error as { retryAfterSeconds?: unknown }).retryAfterSeconds;
  return typeof seconds === 'number' && seconds > 0 ? Math.ceil(seconds) : DATABASE_RETRY_AFTER_SECONDS;
}

/** A 404 in the common shape. */
export function notFound(context: Context, what: string): Response {
  return context.json(
    { error: { code: 'not_found', message: `${what} was not found.` } } satisfies ErrorBody,
    404,
  );
}
