/**
 * @module agents/runner/step-tools
 * The tool calls of one model step: built-ins (handoff, escalation) are answered by the runtime, the
 * agent's tools run in parallel, repeated calls are refused (loop detection) and calls that need a
 * person are set aside, pausing the run. Every call gets a result record, in the model's order.
 */
import type { LanguageModelV3ToolResultOutput } from '@ai-sdk/provider';
import type { Tracer } from '@opentelemetry/api';
import type { PendingAction, PendingActionStore } from '../../spec/agents.ts';
import { ESCALATE_TOOL, TRANSFER_PREFIX } from '../built-in-tools.ts';
import { holdWriteCall } from '../consent/hold-write-call.ts';
import { lastCustomerText } from '../consent/messages.ts';
import { recordConsentSpan } from '../consent/trace.ts';
import type { ResolvedAgent } from '../define-agent.ts';
import type { AgentEventListener, PendingApproval, ToolCallRecord } from './events.ts';
import { type PreparedCall, parseArguments, prepareCall, runTool } from './execute-tool.ts';
import { callKey } from './loop-guard.ts';
import type { ModelStepOutput } from './model-step.ts';
import type { RunState } from './run-state.ts';
import { recordRefusedCallSpan } from './tracing.ts';

/** What running a step's tools needs. */
export interface ToolRunOptions {
  readonly tracer: Tracer;
  readonly defaultTimeoutMs: number;
  readonly loopThreshold: number;
  readonly signal: AbortSignal;
  readonly emit: AgentEventListener;
  /** Where state-changing calls wait for the customer's yes. */
  readonly pendingActions: PendingActionStore;
}

/** The calls of a step with their records, and those waiting for approval. */
export interface StepToolsOutcome {
  readonly records: ToolCallRecord[];
  readonly awaiting: PendingApproval[];
  /** A state-changing call the customer is now asked to confirm (at most one per step). */
  readonly proposal?: PendingAction;
}

/** Handles every call of a step; records are in call order. */
export async function runStepTools(
  state: RunState,
  agent: ResolvedAgent,
  calls: ModelStepOutput['toolCalls'],
  options: ToolRunOptions,
): Promise<StepToolsOutcome> {
  const records: (ToolCallRecord | Promise<ToolCallRecord>)[] = [];
  const awaiting: PendingApproval[] = [];
  let proposal: PendingAction | undefined;
  let handedOff = false;
  for (const call of calls) {
    const parsed = parseArguments(call.input);
    const input = 'input' in parsed ? parsed.input : call.input;
    const base = { toolCallId: call.toolCallId, toolName: call.toolName, agent: state.agent, input };
    options.emit({ type: 'tool-call', ...base });
    const finish = (rest: Pick<ToolCallRecord, 'output' | 'failure'>): ToolCallRecord => {
      const record = { ...base, ...rest };
      options.emit({ type: 'tool-result', ...record });
      return record;
    };
    const refuse = (failure: NonNullable<ToolCallRecord['failure']>) => {
      recordRefusedCallSpan(options.tracer, call, failure);
      return finish({ failure });
    };
    if ('failure' in parsed) records.push(refuse(parsed.failure));
    else if (call.toolName.startsWith(TRANSFER_PREFIX) && isDeclared(agent, call.toolName)) {
      records.push(
        finish(
          handedOff
            ? { failure: { reason: 'not-run', message: 'Only the first handoff of a step is followed.' } }
            : { output: `Transferred to ${call.toolName.slice(TRANSFER_PREFIX.length)}.` },
        ),
      );
      handedOff = true;
    } else if (call.toolName === ESCALATE_TOOL) {
      records.push(finish({ output: 'A human operator will take over this conversation.' }));
    } else if (isRepeated(state, call.toolName, input, options.loopThreshold)) {
      const message = `Not run: ${call.toolName} was already called ${options.loopThreshold - 1} times with these arguments.`;
      records.push(refuse({ reason: 'repeated', message }));
    } else {
      const prepared = prepareCall(agent.tools, call.toolName, input);
      if ('failure' in prepared) records.push(refuse(prepared.failure));
      else if (prepared.tool.effect === 'write') {
        // A state-changing call never runs when the model makes it: the customer confirms first.
        const held = await holdWriteCall({
          call: prepared,
          agent: state.agent,
          customerText: lastCustomerText(state.messages),
          context: { ...contextOf(state), signal: options.signal },
          store: options.pendingActions,
          alreadyProposed: proposal !== undefined,
          declinedThisTurn: state.consentDeclined === true,
        });
        proposal ??= held.proposal;
        if (held.proposal || held.notProposed) {
          const consent = held.proposal ? 'awaiting-confirmation' : 'not-proposed';
          recordConsentSpan(options.tracer, { state: consent, toolName: call.toolName, mode: 'agents' });
          options.emit({
            type: 'consent',
            state: consent,
            agent: state.agent,
            toolName: call.toolName,
            ...(held.proposal ? { description: held.proposal.description } : {}),
          });
        }
        records.push(finish(held.result));
      } else if (await needsApproval(prepared, state, options.signal)) {
        // A person only decides a call that would succeed: the tool's own checks run first.
        const refusal = await precheckOf(prepared, state, options.signal);
        if (refusal) records.push(finish(refusal));
        else {
          const pending = { ...base, input: prepared.input };
          awaiting.push(pending);
          options.emit({ type: 'approval-request', runId: state.runId, ...pending });
        }
      } else {
        records.push(execute(state, prepared, call.toolCallId, options).then(finish));
      }
    }
  }
  return { records: await Promise.all(records), awaiting, ...(proposal ? { proposal } : {}) };
}

/** Runs an approved call (after a resume). */
export function runApproved(
  state: RunState,
  agent: ResolvedAgent,
  pending: PendingApproval,
  options: ToolRunOptions,
): Promise<ToolCallRecord> {
  const base = { ...pending };
  const prepared = prepareCall(agent.tools, pending.toolName, pending.input);
  const done =
    'failure' in prepared ? Promise.resolve(prepared) : execute(state, prepared, pending.toolCallId, options);
  return done.then((rest) => {
    const record = { ...base, ...rest };
    options.emit({ type: 'tool-result', ...record });
    return record;
  });
}

/** The tool message that answers every call of a step, in the order the model made them. */
export function toolMessage(records: readonly ToolCallRecord[]) {
  return {
    role: 'tool' as const,
    content: records.map((record) => ({
      type: 'tool-result' as const,
      toolCallId: record.toolCallId,
      toolName: record.toolName,
      output: outputOf(record),
    })),
  };
}

function outputOf(record: ToolCallRecord): LanguageModelV3ToolResultOutput {
  if (record.failure) return { type: 'error-text', value: record.failure.message };
  if (typeof record.output === 'string') return { type: 'text', value: record.output };
  return { type: 'json', value: JSON.parse(JSON.stringify(record.output ?? null)) };
}

function isDeclared(agent: ResolvedAgent, name: string): boolean {
  return agent.declarations.some((declaration) => declaration.name === name);
}

function isRepeated(state: RunState, toolName: string, input: unknown, threshold: number): boolean {
  const key = callKey(toolName, input);
  state.callCounts[key] = (state.callCounts[key] ?? 0) + 1;
  return state.callCounts[key] >= threshold;
}

/**
 * The tool's precheck refusal as the call's result, or undefined when it may go ahead. A precheck
 * that throws is a failure, so nobody is asked about a call whose checks could not run.
 */
export async function precheckOf(
  call: PreparedCall,
  state: RunState,
  signal: AbortSignal,
): Promise<Pick<ToolCallRecord, 'output' | 'failure'> | undefined> {
  if (!call.tool.precheck) return undefined;
  try {
    const refusal = await call.tool.precheck(call.input as never, { ...contextOf(state), signal });
    return refusal === undefined ? undefined : { output: refusal };
  } catch (error) {
    const message = `${call.tool.name} could not be checked: ${error instanceof Error ? error.message : String(error)}`;
    return { failure: { reason: 'error', message } };
  }
}

/** Whether the call must wait for a person (a rule that cannot decide says yes). */
export async function needsApproval(
  call: PreparedCall,
  state: RunState,
  signal: AbortSignal,
): Promise<boolean> {
  const rule = call.tool.needsApproval;
  if (typeof rule !== 'function') return rule === true;
  try {
    return (await rule(call.input as never, { ...contextOf(state), signal })) === true;
  } catch {
    // A rule that cannot decide must not let a sensitive call through: a person decides instead.
    return true;
  }
}

function contextOf(state: RunState) {
  return {
    tenantId: state.tenantId,
    conversationId: state.conversationId,
    runId: state.runId,
    customer: state.customer,
  };
}

/** Runs a prepared call under its timeout, in a `gen_ai.execute_tool` span. */
export function execute(state: RunState, call: PreparedCall, toolCallId: string, options: ToolRunOptions) {
  return runTool({
    call,
    toolCallId,
    context: contextOf(state),
    signal: options.signal,
    defaultTimeoutMs: options.defaultTimeoutMs,
    tracer: options.tracer,
  });
}
