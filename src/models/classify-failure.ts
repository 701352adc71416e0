/**
 * @module models/classify-failure
 * Sorts a failed model attempt into what the resilience wrapper does next (retry, fall back, or
 * stop) and which `ModelError` code it ends as. Provider errors arrive as the AI SDK's
 * `APICallError` (HTTP failures, with `isRetryable` worked out from the status: 408/409/429/5xx and
 * network errors), or as its parse errors when a body or stream chunk is malformed. A local model
 * raises `GroundworkError`s: the retryable ones count as unavailable, the rest (a corrupt model file)
 * are not provider failures and go to the caller as they are.
 */
import {
  APICallError,
  EmptyResponseBodyError,
  InvalidResponseDataError,
  JSONParseError,
  TypeValidationError,
} from '@ai-sdk/provider';
import { GroundworkError } from '../errors.ts';
import { parseRetryAfter } from './retry-after.ts';

/** What went wrong, in the terms the wrapper acts on. */
export interface Failure {
  /** `unknown` errors are not provider failures (bugs, bad arguments) and are rethrown untouched. */
  readonly kind: 'timeout' | 'rate_limited' | 'unavailable' | 'bad_response' | 'rejected' | 'unknown';
  readonly retryable: boolean;
  readonly status?: number;
  readonly retryAfterMs?: number;
}

/** Network error codes (Node, undici) that mean the connection failed, so a retry may work. */
const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Classifies one failed attempt; `timedOut` is true when our own timer aborted it. */
export function classifyFailure(error: unknown, timedOut: boolean, now = Date.now()): Failure {
  if (timedOut) return { kind: 'timeout', retryable: true };
  if (APICallError.isInstance(error)) {
    const status = error.statusCode;
    const retryAfterMs = parseRetryAfter(error.responseHeaders, now);
    const retryable = error.isRetryable;
    if (status === 429) return { kind: 'rate_limited', retryable, status, retryAfterMs };
    if (status !== undefined && status >= 200 && status < 300) {
      // A 2xx whose body could not be read: retryable only when the connection broke mid-body.
      return { kind: retryable ? 'unavailable' : 'bad_response', retryable, status };
    }
    if (retryable || status === undefined || status >= 500) {
      return { kind: 'unavailable', retryable, status, retryAfterMs };
    }
    return { kind: 'rejected', retryable: false, status };
  }
  if (
    JSONParseError.isInstance(error) ||
    TypeValidationError.isInstance(error) ||
    InvalidResponseDataError.isInstance(error) ||
    EmptyResponseBodyError.isInstance(error)
  ) {
    return { kind: 'bad_response', retryable: false };
  }
  if (isNetworkError(error)) return { kind: 'unavailable', retryable: true };
  // Our own transient faults, e.g. a local model whose request queue is full (`model_overloaded`).
  if (GroundworkError.isInstance(error) && error.retryable) return { kind: 'unavailable', retryable: true };
  if (isErrorPayload(error)) return classifyErrorPayload(error);
  return { kind: 'unknown', retryable: false };
}

/** An error a provider sent inside a stream that began with 200 (`event: error`, `data: {"error": …}`). */
interface ErrorPayload {
  readonly message: string;
  readonly type?: string | null;
  readonly code?: string | number | null;
}

function isErrorPayload(error: unknown): error is ErrorPayload {
  return (
    typeof error === 'object' &&
    error !== null &&
    !(error instanceof Error) &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/** Anthropic: `overloaded_error`, `api_error`, `rate_limit_error`; OpenAI: `server_error`, `rate_limit_exceeded`. */
function classifyErrorPayload(payload: ErrorPayload): Failure {
  const kind = `${payload.type ?? ''} ${payload.code ?? ''}`.toLowerCase();
  if (/rate_limit|429/.test(kind)) return { kind: 'rate_limited', retryable: true };
  if (/overloaded|server_error|api_error|unavailable|timeout|5\d\d/.test(kind)) {
    return { kind: 'unavailable', retryable: true };
  }
  return { kind: 'rejected', retryable: false };
}

function isNetworkError(error: unknown): boolean {
  const seen = new Set<unknown>();
  let current = error;
  while (current instanceof Error && !seen.has(current)) {
    seen.add(current);
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
    if (current instanceof TypeError && /^(fetch failed|terminated)$/i.test(current.message)) return true;
    current = current.cause;
  }
  return false;
}
