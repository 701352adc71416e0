/**
 * @module agents/runner/turn-loop
 * The loop of a turn: model step → tool calls → results → next step, until the model answers, hands
 * off, escalates, waits for an approval, or a limit (steps, wall clock, loop detection) stops it. The
 * state is changed in place, so whatever happened is in it when the loop returns.
 */
import type { LanguageModelV3, LanguageModelV3Message } from '@ai-sdk/provider';
import type { PendingAction } from '../../spec/agents.ts';
import { ESCALATE_TOOL, escalationArguments, TRANSFER_PREFIX, transferReason } from '../built-in-tools.ts';
import { confirmationQuestion } from '../consent/messages.ts';
import type { AgentSet, ResolvedAgent } from '../define-agent.ts';
import type { AgentRunResult, PendingApproval, StopReason, ToolCallRecord } from './events.ts';
import { callModel, type ModelSettings } from './model-step.ts';
import type { RunState } from './run-state.ts';
import { runStepTools, type ToolRunOptions, toolMessage } from './step-tools.ts';
import { inSpan, recordHandoffSpan } from './tracing.ts';

/** What the loop needs besides the state. */
export interface LoopOptions extends ToolRunOptions {
  readonly agents: AgentSet;
  readonly modelFor: (agent: string) => LanguageModelV3;
  readonly settings: ModelSettings;
  readonly maxSteps: number;
  /** Why the signal fired: the wall-clock budget, or the caller. */
  readonly abortReason: () => StopReason;
}

/** How the loop ended. */
export interface LoopOutcome {
  readonly stopReason: StopReason;
  readonly text: string;
  readonly pendingApprovals?: readonly PendingApproval[];
  readonly pendingAction?: PendingAction;
  readonly escalation?: Pick<NonNullable<AgentRunResult['escalation']>, 'reason' | 'trigger'>;
  readonly error?: string;
}

/** Runs steps until the turn ends. */
export async function runLoop(state: RunState, options: LoopOptions): Promise<LoopOutcome> {
  let text = '';
  for (;;) {
    if (options.signal.aborted) return { stopReason: options.abortReason(), text };
    const agent = options.agents.get(state.agent) as ResolvedAgent;
    // An agent's own cap counts its own steps (an agent handed the turn late still gets them); the
    // runner's cap counts the turn's steps for agents without one.
    const own = agent.definition.maxSteps;
    const taken = state.agentSteps?.[state.agent] ?? 0;
    if (own !== undefined ? taken >= own : state.step >= options.maxSteps)
      return { stopReason: 'max-steps', text };
    state.step += 1;
    state.agentSteps = { ...state.agentSteps, [state.agent]: taken + 1 };
    options.emit({ type: 'step-start', step: state.step, agent: state.agent });
    const attributes = { 'agent.name': state.agent, 'agent.step': state.step };
    let output: Awaited<ReturnType<typeof callModel>>;
    try {
      output = await inSpan(options.tracer, 'agent.step', attributes, () =>
        callModel({
          model: options.modelFor(state.agent),
          system: systemPrompt(state, agent),
          messages: state.messages,
          tools: agent.declarations,
          settings: options.settings,
          signal: options.signal,
          tracer: options.tracer,
          onTextDelta: (delta) => options.emit({ type: 'text-delta', agent: state.agent, delta }),
        }),
      );
    } catch (error) {
      if (options.signal.aborted) return { stopReason: options.abortReason(), text };
      return {
        stopReason: 'model-error',
        text,
        error: error instanceof Error ? error.message : String(error),
      };
    }
    state.usage = {
      inputTokens: state.usage.inputTokens + output.usage.inputTokens,
      outputTokens: state.usage.outputTokens + output.usage.outputTokens,
    };
    text = output.text;
    state.messages.push(assistantMessage(output));
    if (output.toolCalls.length === 0) return { stopReason: 'completed', text };
    const { records, awaiting, proposal } = await runStepTools(state, agent, output.toolCalls, options);
    if (awaiting.length > 0) {
      state.paused = { completed: records, awaiting };
      return { stopReason: 'awaiting-approval', text, pendingApprovals: awaiting };
    }
    const ended = finishStep(state, records, options);
    if (ended) {
      // The turn ends some other way (an escalation, a loop): nothing may stay proposed.
      if (proposal) await options.pendingActions.take(state.tenantId, state.conversationId);
      return { ...ended, text };
    }
    if (proposal) {
      // The runtime, not the model, states the exact action and asks; the model's words are dropped.
      const question = confirmationQuestion(proposal.description);
      return { stopReason: 'awaiting-confirmation', text: question, pendingAction: proposal };
    }
  }
}

/**
 * Appends the step's tool results in the model's call order, then applies what they mean: an
 * escalation or a detected loop ends the turn; a handoff switches the agent.
 */
export function finishStep(
  state: RunState,
  records: readonly ToolCallRecord[],
  options: Pick<LoopOptions, 'emit' | 'tracer'>,
): Omit<LoopOutcome, 'text'> | undefined {
  const order = new Map(callOrder(state).map((id, index) => [id, index]));
  const sorted = [...records].sort((a, b) => (order.get(a.toolCallId) ?? 0) - (order.get(b.toolCallId) ?? 0));
  state.toolCalls.push(...sorted);
  state.messages.push(toolMessage(sorted));
  const escalation = sorted.find((record) => record.toolName === ESCALATE_TOOL && !record.failure);
  if (escalation) {
    const { reason, trigger } = escalationArguments(escalation.input);
    options.emit({ type: 'escalation', agent: state.agent, reason, trigger });
    return { stopReason: 'escalated', escalation: { reason, trigger } };
  }
  if (sorted.some((record) => record.failure?.reason === 'repeated')) return { stopReason: 'loop-detected' };
  const handoff = sorted.find((record) => record.toolName.startsWith(TRANSFER_PREFIX) && !record.failure);
  if (handoff) {
    const from = state.agent;
    const to = handoff.toolName.slice(TRANSFER_PREFIX.length);
    const reason = transferReason(handoff.input);
    state.agent = to;
    state.handoffReasons[to] = reason;
    recordHandoffSpan(options.tracer, from, to, reason);
    options.emit({ type: 'handoff', from, to, reason });
  }
  return undefined;
}

/** The agent's instructions, plus why it received the conversation. */
function systemPrompt(state: RunState, agent: ResolvedAgent): string {
  const reason = state.handoffReasons[state.agent];
  const instructions = agent.definition.instructions;
  return reason ? `${instructions}\n\nThe conversation was handed to you because: ${reason}` : instructions;
}

function assistantMessage(output: Awaited<ReturnType<typeof callModel>>): LanguageModelV3Message {
  const content: Extract<LanguageModelV3Message, { role: 'assistant' }>['content'] = [];
  if (output.text) content.push({ type: 'text', text: output.text });
  for (const call of output.toolCalls) {
    let input: unknown = call.input;
    try {
      input = JSON.parse(call.input);
    } catch {
      // Malformed arguments stay as the raw text the model wrote, so it can see its mistake.
    }
    content.push({ type: 'tool-call', toolCallId: call.toolCallId, toolName: call.toolName, input });
  }
  return { role: 'assistant', content };
}

/** The tool call ids of the last assistant message, in order. */
function callOrder(state: RunState): string[] {
  const last = state.messages.findLast((message) => message.role === 'assistant');
  if (last?.role !== 'assistant') return [];
  return last.content.flatMap((part) => (part.type === 'tool-call' ? [part.toolCallId] : []));
}
