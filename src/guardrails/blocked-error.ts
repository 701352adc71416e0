/**
 * @module guardrails/blocked-error
 * The error a blocked or escalated request raises. Its code is the guardrail's (`guardrail_*`), which
 * the HTTP edge answers with 422: the request was understood and refused, not malformed.
 */
import { GroundworkError } from '../errors.ts';
import type { RecordedDecision } from '../spec/guardrails.ts';

/** A request a guardrail stopped. */
export class GuardrailBlockedError extends GroundworkError {
  constructor(readonly decision: RecordedDecision) {
    super({
      code: decision.code,
      message: decision.reason,
      category: 'user',
      // Understood and declined: not a malformed request.
      kind: 'refused',
      details: { guardrail: decision.guardrail, stage: decision.stage, action: decision.action },
    });
    this.name = 'GuardrailBlockedError';
  }
}
