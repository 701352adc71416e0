/**
 * @module agents/consent/trace
 * The consent decisions in the trace: an instant `agent.consent` span per decision, with the state
 * (`awaiting-confirmation`, `confirmed`, `declined`, `not-proposed`), the tool and the mode, so a
 * trace shows why a state-changing call ran or did not. The no-LLM policy records the same span.
 */
import type { Tracer } from '@opentelemetry/api';
import type { ConsentState } from '../runner/events.ts';

/** Span name of a consent decision. */
export const CONSENT_SPAN = 'agent.consent';
/** Attribute with the decision. */
export const CONSENT_STATE_ATTRIBUTE = 'groundwork.consent.state';

/** Records one decision as an instant span. */
export function recordConsentSpan(
  tracer: Tracer,
  decision: {
    readonly state: ConsentState;
    readonly toolName: string;
    readonly mode: 'agents' | 'routed';
    readonly detail?: string;
  },
): void {
  tracer
    .startSpan(CONSENT_SPAN, {
      attributes: {
        [CONSENT_STATE_ATTRIBUTE]: decision.state,
        'gen_ai.tool.name': decision.toolName,
        'groundwork.consent.mode': decision.mode,
        ...(decision.detail ? { 'groundwork.consent.detail': decision.detail } : {}),
      },
    })
    .end();
}
