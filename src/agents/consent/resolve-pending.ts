/**
 * @module agents/consent/resolve-pending
 * The start of a turn when an action waits for the customer's yes. The action is taken from the
 * store whatever the answer, so it can be confirmed only in the very next turn. An explicit yes runs
 * it (after its precheck again, and through a person's approval when the tool needs one), as a tool
 * call the runtime makes in the agent's name: the model then writes the reply from its result.
 * Anything else declines it and the turn goes on as usual; nothing runs.
 */
import type { LanguageModelV3Message } from '@ai-sdk/provider';
import type { AgentSet, ResolvedAgent } from '../define-agent.ts';
import type { ToolCallRecord } from '../runner/events.ts';
import { prepareCall } from '../runner/execute-tool.ts';
import type { RunState } from '../runner/run-state.ts';
import { execute, needsApproval, precheckOf, type ToolRunOptions } from '../runner/step-tools.ts';
import type { LoopOutcome } from '../runner/turn-loop.ts';
import { confirmationAnswer } from './confirmation.ts';
import { lastCustomerText } from './messages.ts';
import { recordConsentSpan } from './trace.ts';

/** What the turn does next: run the loop (with the confirmed call's result in the state), or stop. */
export type PendingResolution = { readonly continue: true } | { readonly outcome: LoopOutcome };

/** Applies the customer's answer to the conversation's pending action, if there is one. */
export async function resolvePendingAction(
  state: RunState,
  agents: AgentSet,
  options: ToolRunOptions,
  finish: (records: readonly ToolCallRecord[]) => Omit<LoopOutcome, 'text'> | undefined,
): Promise<PendingResolution> {
  const pending = await options.pendingActions.take(state.tenantId, state.conversationId);
  if (!pending) return { continue: true };
  const answer = confirmationAnswer(lastCustomerText(state.messages));
  const consent = answer === 'yes' ? 'confirmed' : 'declined';
  recordConsentSpan(options.tracer, {
    state: consent,
    toolName: pending.toolName,
    mode: 'agents',
    ...(answer === 'yes' ? {} : { detail: answer }),
  });
  options.emit({ type: 'consent', state: consent, agent: pending.agent, toolName: pending.toolName });
  if (answer !== 'yes') {
    state.consentDeclined = true;
    return { continue: true };
  }

  const agent = agents.get(pending.agent) as ResolvedAgent | undefined;
  if (agent) state.agent = pending.agent;
  const toolCallId = `confirmed-${crypto.randomUUID()}`;
  const base = { toolCallId, toolName: pending.toolName, agent: state.agent, input: pending.input };
  state.messages.push(confirmedCallMessage(base));
  options.emit({ type: 'tool-call', ...base });
  const prepared = agent
    ? prepareCall(agent.tools, pending.toolName, pending.input)
    : { failure: { reason: 'unknown-tool' as const, message: `There is no agent "${pending.agent}".` } };
  let result: Pick<ToolCallRecord, 'output' | 'failure'>;
  if ('failure' in prepared) result = { failure: prepared.failure };
  else {
    const refusal = await precheckOf(prepared, state, options.signal);
    if (refusal) result = refusal;
    else if (await needsApproval(prepared, state, options.signal)) {
      const awaiting = [{ ...base, input: prepared.input }];
      state.paused = { completed: [], awaiting };
      options.emit({ type: 'approval-request', runId: state.runId, ...base });
      return { outcome: { stopReason: 'awaiting-approval', text: '', pendingApprovals: awaiting } };
    } else result = await execute(state, prepared, toolCallId, options);
  }
  const record = { ...base, ...result };
  options.emit({ type: 'tool-result', ...record });
  const ended = finish([record]);
  return ended ? { outcome: { ...ended, text: '' } } : { continue: true };
}

function confirmedCallMessage(call: {
  toolCallId: string;
  toolName: string;
  input: unknown;
}): LanguageModelV3Message {
  return {
    role: 'assistant',
    content: [{ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input: call.input }],
  };
}
