/**
 * @module guardrails/moderation-models/errors
 * The final failures of a moderation model call, after retries. System faults (the request was
 * fine); the moderation guardrail turns them into a block (fail closed) or lets the rules decide alone.
 */
import { GroundworkError } from '../../errors.ts';

/** Stable codes of moderation-model failures. */
export type ModerationModelErrorCode =
  | 'moderation_timeout'
  | 'moderation_rate_limited'
  | 'moderation_unavailable'
  | 'moderation_bad_response'
  | 'moderation_request_rejected';

/** A moderation call that failed for good. */
export class ModerationModelError extends GroundworkError {
  declare readonly code: ModerationModelErrorCode;

  constructor(
    code: ModerationModelErrorCode,
    message: string,
    options: { details: Record<string, unknown>; cause?: unknown; retryable: boolean },
  ) {
    super({ code, message, category: 'system', ...options });
    this.name = 'ModerationModelError';
  }
}
