/**
 * @module agents/runner
 * The agent runner: runs a conversation turn through the agents (starting at triage unless the app
 * pins the conversation to an agent), and resumes runs paused for approval. Only wiring lives here;
 * the loop, tools, approvals and persistence are in `runner/*`.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Tracer } from '@opentelemetry/api';
import type {
  AgentDefinition,
  AgentRunStore,
  ApprovalDecision,
  EscalationSink,
  PendingActionStore,
  VerifiedCustomer,
} from '../spec/agents.ts';
import { resolvePendingAction } from './consent/resolve-pending.ts';
import { createAgentSet, type ResolvedAgent } from './define-agent.ts';
import { AgentError } from './errors.ts';
import { InProcessPendingActionStore } from './in-process-pending-actions.ts';
import { InProcessRunStore } from './in-process-run-store.ts';
import { budgetSignal } from './runner/budget.ts';
import { createEventStream } from './runner/event-stream.ts';
import type { AgentEvent, AgentEventListener, AgentRunResult } from './runner/events.ts';
import { DEFAULT_ESCALATION_MESSAGE, finishRun } from './runner/finish-run.ts';
import type { ModelSettings } from './runner/model-step.ts';
import { applyDecision, decidedCalls } from './runner/resume.ts';
import {
  parseRunState,
  RUN_STATE_SCHEMA_VERSION,
  type RunState,
  serializeRunState,
} from './runner/run-state.ts';
import { defaultTracer, inSpan } from './runner/tracing.ts';
import { finishStep, type LoopOptions, type LoopOutcome, runLoop } from './runner/turn-loop.ts';

/** How the runner runs. Limits apply per invocation (a turn, or a resume). */
export interface AgentRunnerOptions {
  readonly agents: readonly AgentDefinition[];
  /** The agent each turn starts at; default the first. */
  readonly triage?: string;
  readonly model: LanguageModelV3 | ((agent: AgentDefinition) => LanguageModelV3);
  /** Where runs are kept; default in memory (paused runs then die with the process). */
  readonly store?: AgentRunStore;
  readonly escalations?: EscalationSink;
  /**
   * Where state-changing calls (`effect: 'write'`) wait for the customer's yes; default in memory
   * (a pending action then dies with the process).
   */
  readonly pendingActions?: PendingActionStore;
  /**
   * Model steps per turn; default 10. An agent with its own `maxSteps` is held to that many of its own
   * steps instead, however many the turn took before it was handed the conversation.
   */
  readonly maxSteps?: number;
  /** Wall-clock milliseconds per invocation; default 60 000. */
  readonly budgetMs?: number;
  /** Tool timeout when the tool sets none; default 30 000 ms. */
  readonly toolTimeoutMs?: number;
  /** The Nth identical call (same tool, same arguments) in a turn stops it; default 3. */
  readonly loopThreshold?: number;
  readonly settings?: ModelSettings;
  readonly escalationMessage?: string;
  /** Default `trace.getTracer('groundwork')`, a no-op until a provider is registered. */
  readonly tracer?: Tracer;
  readonly newRunId?: () => string;
}

/** A plain conversation message, as the app stores it. */
export interface AgentMessage {
  readonly role: 'user' | 'assistant';
  readonly content: string;
}

/** One turn: the conversation so far, ending with the customer's new message. */
export interface AgentTurn {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly messages: readonly AgentMessage[];
  /** Pins the turn to this agent instead of triage. */
  readonly agent?: string;
  readonly customer?: VerifiedCustomer;
}

/** Per-invocation options. */
export interface RunOptions {
  readonly signal?: AbortSignal;
  readonly onEvent?: AgentEventListener;
}

/** The runner. */
export interface AgentRunner {
  run(turn: AgentTurn, options?: RunOptions): Promise<AgentRunResult>;
  /** `run` with its events as an async iterable; the iterable ends after `turn-end`. */
  stream(turn: AgentTurn, options?: Omit<RunOptions, 'onEvent'>): StreamedRun;
  /** Runs the waiting calls the decision covers, then continues the run. */
  approve(runId: string, decision: ApprovalDecision, options?: RunOptions): Promise<AgentRunResult>;
  /** Sends the waiting calls back to the model as rejected, then continues the run. */
  reject(runId: string, decision: ApprovalDecision, options?: RunOptions): Promise<AgentRunResult>;
}

/** A streamed run. */
export interface StreamedRun {
  readonly events: AsyncIterable<AgentEvent>;
  readonly result: Promise<AgentRunResult>;
}

/**
 * Creates a runner; throws `AgentError` for agents that cannot work, before any model call.
 *
 * @example
 * const runner = createAgentRunner({ agents: [triage, billing], model, store, escalations: inbox });
 * const result = await runner.run(
 *   { tenantId, conversationId, messages: [{ role: 'user', content: 'Refund order 1042' }] },
 *   { onEvent: (event) => send(event) },
 * );
 * if (result.stopReason === 'awaiting-approval') await runner.approve(result.runId, { tenantId, by: 'ops' });
 */
export function createAgentRunner(options: AgentRunnerOptions): AgentRunner {
  const agents = createAgentSet(options.agents, options.triage);
  const store = options.store ?? new InProcessRunStore();
  const pendingActions = options.pendingActions ?? new InProcessPendingActionStore();
  const tracer = options.tracer ?? defaultTracer();
  const modelFor = (name: string) => {
    const model = options.model;
    return typeof model === 'function' ? model((agents.get(name) as ResolvedAgent).definition) : model;
  };

  /** Runs `body` under the budget in an `agent.run` span and finishes the run. */
  const invoke = (
    state: RunState,
    runOptions: RunOptions,
    body: (loop: LoopOptions) => Promise<LoopOutcome>,
  ): Promise<AgentRunResult> => {
    const { signal, abortReason, dispose } = budgetSignal(options.budgetMs ?? 60_000, runOptions.signal);
    const emit = (event: AgentEvent) => {
      try {
        runOptions.onEvent?.(event);
      } catch {
        // A listener's bug must not end the customer's turn.
      }
    };
    const loop: LoopOptions = {
      agents,
      modelFor,
      settings: options.settings ?? {},
      maxSteps: options.maxSteps ?? 10,
      tracer,
      defaultTimeoutMs: options.toolTimeoutMs ?? 30_000,
      loopThreshold: options.loopThreshold ?? 3,
      signal,
      abortReason,
      emit,
      pendingActions,
    };
    const attributes = { 'agent.run.id': state.runId, 'agent.name': state.agent };
    return inSpan(tracer, 'agent.run', attributes, async (span) => {
      try {
        const outcome = await body(loop);
        const result = await finishRun(state, outcome, {
          store,
          escalations: options.escalations,
          escalationMessage: options.escalationMessage ?? DEFAULT_ESCALATION_MESSAGE,
        });
        span.setAttributes({ 'agent.stop_reason': result.stopReason, 'agent.steps': result.steps });
        emit({ type: 'turn-end', result });
        return result;
      } finally {
        dispose();
      }
    });
  };

  const run = async (turn: AgentTurn, runOptions: RunOptions = {}) => {
    const start = turn.agent ?? agents.triage;
    if (!agents.get(start)) throw new AgentError('invalid_agent', `There is no agent "${start}".`);
    const state: RunState = {
      schemaVersion: RUN_STATE_SCHEMA_VERSION,
      runId: options.newRunId?.() ?? crypto.randomUUID(),
      tenantId: turn.tenantId,
      conversationId: turn.conversationId,
      ...(turn.customer ? { customer: turn.customer } : {}),
      agent: start,
      messages: turn.messages.map((message) =>
        message.role === 'user'
          ? { role: 'user', content: [{ type: 'text', text: message.content }] }
          : { role: 'assistant', content: [{ type: 'text', text: message.content }] },
      ),
      step: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
      toolCalls: [],
      callCounts: {},
      handoffReasons: {},
    };
    await store.save({
      id: state.runId,
      tenantId: turn.tenantId,
      conversationId: turn.conversationId,
      status: 'running',
      state: serializeRunState(state),
    });
    return invoke(state, runOptions, async (loop) => {
      // An action proposed last turn runs only on this message's explicit yes; any answer clears it.
      const resolved = await resolvePendingAction(state, agents, loop, (records) =>
        finishStep(state, records, loop),
      );
      return 'outcome' in resolved ? resolved.outcome : runLoop(state, loop);
    });
  };

  const decide = async (
    runId: string,
    decision: ApprovalDecision,
    approved: boolean,
    runOptions: RunOptions = {},
  ) => {
    const stored = await store.load(decision.tenantId, runId);
    if (!stored) throw new AgentError('run_not_found', `There is no run ${runId}.`);
    if (stored.status !== 'paused')
      throw new AgentError('run_not_paused', `Run ${runId} is ${stored.status}.`);
    const decided = decidedCalls(parseRunState(stored.state), decision);
    const claimed = await store.claimPaused(decision.tenantId, runId);
    if (!claimed) throw new AgentError('run_not_paused', `Run ${runId} was resumed by someone else.`);
    const state = parseRunState(claimed.state);
    return invoke(state, runOptions, async (loop) => {
      const records = await applyDecision(state, agents, decided, decision, approved, loop);
      if (!records)
        return { stopReason: 'awaiting-approval', text: '', pendingApprovals: state.paused?.awaiting };
      const ended = finishStep(state, records, loop);
      return ended ? { ...ended, text: '' } : runLoop(state, loop);
    });
  };

  return {
    run,
    stream(turn, streamOptions = {}) {
      const channel = createEventStream();
      const result = run(turn, { ...streamOptions, onEvent: channel.push }).finally(channel.close);
      return { events: channel.events, result };
    },
    approve: (runId, decision, runOptions) => decide(runId, decision, true, runOptions),
    reject: (runId, decision, runOptions) => decide(runId, decision, false, runOptions),
  };
}
