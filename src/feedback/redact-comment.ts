/**
 * @module feedback/redact-comment
 * The seam where personal data will be removed from feedback comments before they are stored. Until
 * the PII guardrail lands (guardrails/), comments are stored exactly as given; replace this function's
 * body, not its callers.
 */

/** The comment as it will be stored; today unchanged. */
export function redactFeedbackComment(comment: string): string {
  return comment;
}
