/**
 * @module server/openai-error
 * Errors of the OpenAI-compatible routes in OpenAI's shape, `{error: {message, type, param, code}}`,
 * so the official clients raise their typed errors (`BadRequestError`, `NotFoundError`, …). Status
 * and message come from the common handler, so both shapes always agree.
 */
import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { errorOfEvent } from '../answer/error-event.ts';
import { GroundworkError } from '../errors.ts';
import { MODEL_ERROR_KINDS } from '../models/errors.ts';
import type { AskEvent } from '../spec/answer.ts';
import { type ErrorBody, handleError } from './http-error.ts';
import { openAIErrorType } from './openai-format.ts';

/** The OpenAI error body. */
export interface OpenAIErrorBody {
  readonly error: {
    readonly message: string;
    readonly type: string;
    readonly param: string | null;
    readonly code: string;
  };
}

/** Builds an OpenAI error body. */
export function openAIErrorBody(
  status: number,
  code: string,
  message: string,
  param: string | null = null,
): OpenAIErrorBody {
  return { error: { message, type: openAIErrorType(status), param, code } };
}

/** Hono `onError` for the OpenAI-compatible routes. */
export async function handleOpenAIError(error: Error, context: Context): Promise<Response> {
  const common = handleError(error, context);
  const { error: body } = (await common.json()) as ErrorBody;
  const status = common.status as ContentfulStatusCode;
  return context.json(openAIErrorBody(status, body.code, body.message, paramOf(body.details)), status);
}

/** The field a validation error names (`messages.0.role`), as OpenAI's `param`. */
function paramOf(details: unknown): string | null {
  if (typeof details !== 'object' || details === null) return null;
  const { param, issues } = details as { param?: unknown; issues?: { path?: unknown }[] };
  if (typeof param === 'string') return param;
  const path = issues?.[0]?.path;
  return typeof path === 'string' && path ? path : null;
}

/**
 * Rebuilds a thrown error from a stream's `error` event, so it maps to the same status as `ask()`:
 * the kind of the error the event was made from; for an event from elsewhere, what its code says.
 */
export function errorFromEvent(event: Extract<AskEvent, { type: 'error' }>): GroundworkError {
  const origin = errorOfEvent(event);
  const model = Object.hasOwn(MODEL_ERROR_KINDS, event.code)
    ? MODEL_ERROR_KINDS[event.code as keyof typeof MODEL_ERROR_KINDS]
    : undefined;
  const system =
    origin?.category === 'system' ||
    event.code === 'internal_error' ||
    event.code === 'database_unavailable' ||
    model !== undefined;
  return new GroundworkError({
    code: event.code,
    message: event.message,
    category: system ? 'system' : 'user',
    kind: origin?.kind ?? model ?? (event.code === 'database_unavailable' ? 'unavailable' : undefined),
    retryable: event.code === 'database_unavailable',
  });
}
