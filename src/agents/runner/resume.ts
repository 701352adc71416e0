/**
 * @module agents/runner/resume
 * Applies a person's decision to a paused run: approved calls run now, rejected ones go back to the
 * model as "rejected by <who>: <reason>". When every waiting call is decided the step is finished and
 * the loop may go on; a partial decision leaves the run paused on the rest.
 */
import type { ApprovalDecision } from '../../spec/agents.ts';
import type { AgentSet, ResolvedAgent } from '../define-agent.ts';
import { AgentError } from '../errors.ts';
import type { PendingApproval, ToolCallRecord } from './events.ts';
import type { RunState } from './run-state.ts';
import { runApproved, type ToolRunOptions } from './step-tools.ts';

/** The waiting calls a decision covers; throws before anything changes when an id is unknown. */
export function decidedCalls(state: RunState, decision: ApprovalDecision): PendingApproval[] {
  const awaiting = state.paused?.awaiting ?? [];
  if (!decision.toolCallIds) return [...awaiting];
  return decision.toolCallIds.map((id) => {
    const call = awaiting.find((pending) => pending.toolCallId === id);
    if (!call) {
      throw new AgentError(
        'unknown_tool_call',
        `Run ${state.runId} has no tool call ${id} waiting for approval.`,
      );
    }
    return call;
  });
}

/** Runs or rejects the decided calls; returns the step's records once none is left waiting. */
export async function applyDecision(
  state: RunState,
  agents: AgentSet,
  decided: readonly PendingApproval[],
  decision: ApprovalDecision,
  approved: boolean,
  options: ToolRunOptions,
): Promise<ToolCallRecord[] | undefined> {
  const paused = state.paused;
  if (!paused) return [];
  const ids = new Set(decided.map((call) => call.toolCallId));
  const records = await Promise.all(
    decided.map((call) => {
      if (approved) return runApproved(state, agents.get(call.agent) as ResolvedAgent, call, options);
      const message = `Rejected by ${decision.by}${decision.reason ? `: ${decision.reason}` : '.'}`;
      const record: ToolCallRecord = { ...call, failure: { reason: 'rejected', message } };
      options.emit({ type: 'tool-result', ...record });
      return Promise.resolve(record);
    }),
  );
  const completed = [...paused.completed, ...records];
  const awaiting = paused.awaiting.filter((call) => !ids.has(call.toolCallId));
  if (awaiting.length > 0) {
    state.paused = { completed, awaiting };
    return undefined;
  }
  state.paused = undefined;
  return completed;
}
