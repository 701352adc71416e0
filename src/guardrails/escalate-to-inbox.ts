/**
 * @module guardrails/escalate-to-inbox
 * What an escalating guardrail decision does. In a stored conversation (`/v1/chat`, the support app)
 * the conversation is parked in the operator inbox with the categories and the stopped text, so a
 * person reviews it and replies; the customer's next turn then waits for that person. A stateless
 * request (`/v1/ask`) has nothing to park: it is refused like a block, and the escalation is logged
 * as a warning and kept in the request's trace (`guardrail.decision` with action `escalate`) for review.
 */
import type { Escalator } from '../spec/agent-services.ts';
import type { GuardrailContext, RecordedDecision } from '../spec/guardrails.ts';

/** Where warnings about stateless escalations go. */
export interface EscalationLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

const SNIPPET = 300;

/**
 * The pipeline's `onEscalate` over an inbox.
 *
 * @example
 * new GuardrailPipeline(guardrails, { onEscalate: escalateToInbox(inbox, logger) });
 */
export function escalateToInbox(inbox: Pick<Escalator, 'escalate'>, log: EscalationLogger) {
  return async (decision: RecordedDecision, text: string, context: GuardrailContext): Promise<void> => {
    const categories = decision.categories?.join(', ') || decision.code;
    if (!context.conversationId) {
      log.warn(
        { tenantId: context.tenantId, guardrail: decision.guardrail, stage: decision.stage, categories },
        'A guardrail escalated a request without a conversation; it was refused and recorded in its trace.',
      );
      return;
    }
    const whose = decision.stage === 'input' ? "The customer's message" : 'The generated answer';
    await inbox.escalate({
      tenantId: context.tenantId,
      conversationId: context.conversationId,
      trigger: 'sensitive-request',
      reason: `Guardrail ${decision.guardrail}: ${categories}`,
      notes: [
        {
          agent: `guardrail:${decision.guardrail}`,
          text: `${whose} was stopped (${categories}): "${text.slice(0, SNIPPET)}${text.length > SNIPPET ? '…' : ''}"`,
        },
      ],
    });
  };
}
