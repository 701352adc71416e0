/**
 * @module agents/runner/finish-run
 * The end of an invocation: hand an escalation to the inbox, store the run with its status, and build
 * the result the caller gets. An inbox that fails does not lose the answer: the result says the
 * escalation was not delivered.
 */
import type { AgentRunStatus, AgentRunStore, EscalationSink } from '../../spec/agents.ts';
import type { AgentRunResult } from './events.ts';
import { type RunState, serializeRunState } from './run-state.ts';
import type { LoopOutcome } from './turn-loop.ts';

/** Said to the customer when the model escalated without writing anything. */
export const DEFAULT_ESCALATION_MESSAGE =
  'I have passed your conversation to a person on our team; they will reply here.';

/** Delivers, stores and summarises; `stepsBefore` counts steps done before this invocation. */
export async function finishRun(
  state: RunState,
  outcome: LoopOutcome,
  options: { store: AgentRunStore; escalations?: EscalationSink; escalationMessage: string },
): Promise<AgentRunResult> {
  let escalation: AgentRunResult['escalation'];
  let error = outcome.error;
  if (outcome.escalation) {
    let delivered = false;
    try {
      if (options.escalations) {
        await options.escalations.escalate({
          tenantId: state.tenantId,
          conversationId: state.conversationId,
          runId: state.runId,
          agent: state.agent,
          ...outcome.escalation,
        });
        delivered = true;
      }
    } catch (thrown) {
      error = `The escalation could not be delivered: ${thrown instanceof Error ? thrown.message : String(thrown)}`;
    }
    escalation = { ...outcome.escalation, delivered };
  }
  await options.store.save({
    id: state.runId,
    tenantId: state.tenantId,
    conversationId: state.conversationId,
    status: statusOf(outcome),
    state: serializeRunState(state),
  });
  return {
    runId: state.runId,
    text: outcome.escalation ? outcome.text || options.escalationMessage : outcome.text,
    agent: state.agent,
    mode: outcome.escalation ? 'human' : 'generative',
    steps: state.step,
    toolCalls: state.toolCalls,
    usage: state.usage,
    stopReason: outcome.stopReason,
    ...(outcome.pendingApprovals ? { pendingApprovals: outcome.pendingApprovals } : {}),
    ...(outcome.pendingAction ? { pendingAction: outcome.pendingAction } : {}),
    ...(escalation ? { escalation } : {}),
    ...(error ? { error } : {}),
  };
}

function statusOf(outcome: LoopOutcome): AgentRunStatus {
  if (outcome.stopReason === 'awaiting-approval') return 'paused';
  return outcome.stopReason === 'model-error' ? 'failed' : 'completed';
}
