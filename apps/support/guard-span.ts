/**
 * @module support/guard-span
 * A span for a guard's decision, so the turn's trace shows why no agent (or no model) was asked: an
 * injection attempt refused, or a sensitive topic sent to a person.
 */
import { withSpan } from '../../src/observability/tracer.ts';

/** What a guard decided. */
export type GuardDecision = 'injection-refused' | 'sensitive-escalated';

/** Span attribute with the guard's decision. */
export const GUARD_ATTRIBUTE = 'groundwork.support.guard';

/** Records the decision as a `support.guard` span in the active trace. */
export function traceGuard(decision: GuardDecision, mode: 'agents' | 'routed'): Promise<void> {
  return withSpan(
    'support.guard',
    { [GUARD_ATTRIBUTE]: decision, 'groundwork.support.mode': mode },
    () => {},
  );
}
