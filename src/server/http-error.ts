/**
 * @module server/http-error
 * Errors become HTTP responses here, at the edge, and only here. Every error body has the same
 * shape, a stable `code` and a message; never a stack trace.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { MODEL_ERROR_MESSAGES } from '../answer/error-event.ts';
import {
  DATABASE_RETRY_AFTER_SECONDS,
  DATABASE_UNAVAILABLE_MESSAGE,
  findDatabaseUnavailable,
  findStorageFull,
  GroundworkError,
  StorageFullError,
} from '../errors.ts';
import { MODEL_ERROR_HTTP_STATUS } from '../models/errors.ts';
import { logger } from '../observability/logger.ts';

/** Operator inbox state conflicts (someone else holds the escalation, or it is no longer open). */
const INBOX_CONFLICTS = new Set([
  'already_claimed',
  'escalation_not_open',
  'escalation_not_claimed',
  // An agent run already approved, rejected or never paused.
  'run_not_paused',
  // `/v1/chat` on a conversation a person holds.
  'conversation_with_person',
]);

/** The caller is known but may not do this (session issuance). */
const FORBIDDEN = new Set(['forbidden_role', 'sessions_cannot_issue']);

/** The JSON body of every error response. */
export interface ErrorBody {
  readonly error: { readonly code: string; readonly message: string; readonly details?: unknown };
}

/** Maps an error code to its HTTP status. */
export function statusFor(error: GroundworkError): ContentfulStatusCode {
  if (error.code.endsWith('_not_found') || error.code === 'not_found') return 404;
  if (FORBIDDEN.has(error.code)) return 403;
  if (error.code === 'payload_too_large' || error.code === 'too_many_files') return 413;
  if (error.code === 'unsupported_media_type') return 415;
  if (error.code === 'data_dir_locked') return 409;
  if (error.code === 'key_revoked') return 409;
  if (error.code === 'budget_exceeded' || error.code === 'ingest_queue_full') return 429;
  if (error.code === 'request_timeout') return 504;
  if (error.code === 'database_unavailable') return 503;
  if (error.code === 'insufficient_storage') return 507;
  // Guardrail refusals: the request was understood and declined, so not a 400 for a malformed one.
  if (error.code.startsWith('guardrail_')) return 422;
  if (INBOX_CONFLICTS.has(error.code)) return 409;
  // Language-model failures: the model is a gateway we call, so its outages are 502/503/504.
  if (Object.hasOwn(MODEL_ERROR_HTTP_STATUS, error.code)) {
    return MODEL_ERROR_HTTP_STATUS[
      error.code as keyof typeof MODEL_ERROR_HTTP_STATUS
    ] as ContentfulStatusCode;
  }
  return error.category === 'user' ? 400 : 500;
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
    if (status === 429 && typeof (error as { retryAfterSeconds?: unknown }).retryAfterSeconds === 'number')
      context.header('retry-after', String(retryAfterOf(error)));
    const body: ErrorBody = {
      error: {
        code: error.code,
        message:
          status >= 500
            ? (MODEL_ERROR_MESSAGES[error.code] ??
              (error.code === 'insufficient_storage'
                ? error.message
                : 'The server could not complete the request.'))
            : error.message,
        ...(status < 500 && Object.keys(error.details).length > 0 ? { details: error.details } : {}),
      },
    };
    if (status >= 500) logger.error({ err: error }, 'Request failed.');
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
