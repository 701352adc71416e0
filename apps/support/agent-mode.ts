/**
 * @module support/agent-mode
 * The support agents on the runtime (mode `agents`): guards before any model call, the conversation
 * window as the prompt, the run's outcome turned into a turn result, and approvals of paused runs.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { InboxService } from '../../src/agents/inbox/inbox.ts';
import { type AgentMessage, type AgentRunResult, createAgentRunner } from '../../src/agents/index.ts';
import type { CustomerMemory } from '../../src/agents/memory/customer.ts';
import { createMemoryTools } from '../../src/agents/memory/tools.ts';
import type { ConversationMemory } from '../../src/agents/memory/window.ts';
import { NotFoundError } from '../../src/errors.ts';
import type { GroundworkMetrics } from '../../src/observability/metrics.ts';
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type {
  AgentRunStore,
  AnyAgentTool,
  EscalationTrigger,
  PendingActionStore,
} from '../../src/spec/agents.ts';
import type { Database } from '../../src/store/database.ts';
import { approvedReturnIds, fallbackReply, isDeclined, routeOf } from './agent-run-result.ts';
import { createSupportAgents } from './agents.ts';
import type { ConversationCustomers } from './conversation-customers.ts';
import { conversationLanguage, languageNote } from './dialogue/agent-language.ts';
import { escalationCue } from './dialogue/escalation.ts';
import { nextLanguage } from './dialogue/language.ts';
import { readOrderSlots } from './dialogue/order-slots.ts';
import { templatesFor } from './dialogue/templates.ts';
import { traceGuard } from './guard-span.ts';
import { isInjection, isSensitive } from './policy-guards.ts';
import { approvalReply, citationsOf, REFUSAL, SENSITIVE_REPLY, toolCallsOf } from './service-replies.ts';
import type { SupportTools } from './tools/index.ts';
import type { SupportTurnResult } from './turn-result.ts';

/** What the agents' mode is built from. */
export interface AgentModeDependencies {
  readonly db: Database;
  readonly model: LanguageModelV3;
  readonly tools: SupportTools;
  readonly customers: ConversationCustomers;
  readonly inbox: Pick<InboxService, 'escalate'>;
  readonly conversations: ConversationMemory;
  readonly customerMemory?: CustomerMemory;
  readonly runs: AgentRunStore;
  /** Where state-changing calls wait for the customer's yes (shared with the routed mode). */
  readonly pendingActions: PendingActionStore;
  readonly metrics: Pick<GroundworkMetrics, 'agentSteps' | 'toolErrors'>;
  /** Tokens of conversation the agents see; default 3000. */
  readonly historyTokens?: number;
  /** Wall-clock budget of one turn; the runtime's default when absent. */
  readonly budgetMs?: number;
  /** A tool call's timeout unless the tool sets its own; the runtime's default (30 s) when absent. */
  readonly toolTimeoutMs?: number;
  /** Operator-configured tools (MCP) for the faq, orders and troubleshooting agents. */
  readonly operatorTools?: readonly AnyAgentTool[];
}

/** A decision on a paused run. */
export interface ApprovalDecision {
  readonly approved: boolean;
  readonly by: string;
  readonly reason?: string;
}

/** Creates the agents' mode. */
export function createAgentMode(deps: AgentModeDependencies) {
  const memory = deps.customerMemory ? createMemoryTools(deps.customerMemory) : undefined;
  const runner = createAgentRunner({
    agents: createSupportAgents({
      tools: deps.tools,
      customers: deps.customers,
      memoryTools: memory ? [memory.recall, memory.remember] : undefined,
      ...(deps.operatorTools ? { operatorTools: deps.operatorTools } : {}),
      // The tool told the customer a person will help: keep that promise whatever the model does next.
      onNoAttemptsLeft: async (context) => {
        await deps.inbox.escalate({
          tenantId: context.tenantId,
          conversationId: context.conversationId,
          trigger: 'repeated-failure',
          reason: 'Verification: no attempts left in this conversation.',
          notes: [{ agent: 'orders', text: 'verify_customer refused: too many failed attempts.' }],
        });
      },
    }),
    triage: 'triage',
    model: deps.model,
    ...(deps.budgetMs === undefined ? {} : { budgetMs: deps.budgetMs }),
    ...(deps.toolTimeoutMs === undefined ? {} : { toolTimeoutMs: deps.toolTimeoutMs }),
    store: deps.runs,
    pendingActions: deps.pendingActions,
    escalations: {
      // The operator sees who the customer is and which agent gave up.
      escalate: async (escalation) => {
        const customer = await deps.customers.get(escalation);
        await deps.inbox.escalate({
          tenantId: escalation.tenantId,
          conversationId: escalation.conversationId,
          trigger: escalation.trigger,
          reason: escalation.reason,
          notes: [{ agent: escalation.agent, text: escalation.reason }],
          ...(customer ? { customer } : {}),
        });
      },
    },
  });

  async function fromRun(ref: ConversationRef, result: AgentRunResult): Promise<SupportTurnResult> {
    const calls = toolCallsOf(result.toolCalls);
    deps.metrics.agentSteps.inc({ agent: result.agent }, result.steps);
    for (const call of calls) if (call.error) deps.metrics.toolErrors.inc({ tool: call.name });
    const paused = result.stopReason === 'awaiting-approval' && result.pendingApprovals;
    const escalated = result.stopReason === 'escalated';
    let reply = result.text.trim();
    if (paused)
      reply = `${reply ? `${reply}\n\n` : ''}${await approvalReply(deps.db, ref, deps.customers, result.pendingApprovals ?? [])}`;
    if (!reply) reply = fallbackReply(result);
    return {
      conversationId: ref.conversationId,
      reply,
      mode: escalated ? 'human' : 'agents',
      agent: result.agent,
      toolCalls: calls,
      route: routeOf(result),
      citations: citationsOf(calls, reply),
      escalated,
      refused: calls.some((call) => isDeclined(call.output)),
      ...(paused
        ? { pendingApproval: { runId: result.runId, calls: toolCallsOf(result.pendingApprovals ?? []) } }
        : {}),
      ...(result.pendingAction
        ? {
            pendingAction: {
              toolName: result.pendingAction.toolName,
              description: result.pendingAction.description,
            },
          }
        : {}),
    };
  }

  /** Parks the conversation with a person before any model call: a sensitive topic, or an escalation cue. */
  async function escalateByGuard(
    ref: ConversationRef,
    message: string,
    cue?: { trigger: EscalationTrigger; reason: string; reply: string },
  ): Promise<SupportTurnResult> {
    const customer = await deps.customers.get(ref);
    await deps.inbox.escalate({
      ...ref,
      trigger: cue?.trigger ?? 'sensitive-request',
      reason: cue
        ? `${cue.reason} The customer wrote: ${message.slice(0, 200)}`
        : `Sensitive: ${message.slice(0, 200)}`,
      notes: [
        {
          agent: 'guard',
          text: cue ? `${cue.reason} No agent was asked.` : 'A safety or legal topic; no agent was asked.',
        },
      ],
      ...(customer ? { customer } : {}),
    });
    return {
      conversationId: ref.conversationId,
      reply: cue?.reply ?? SENSITIVE_REPLY,
      mode: 'human',
      agent: 'escalation',
      toolCalls: [],
      route: ['escalation'],
      citations: [],
      escalated: true,
      refused: false,
    };
  }

  return {
    /** Answers one stored customer message with the agents. */
    async turn(ref: ConversationRef, message: string, signal?: AbortSignal): Promise<SupportTurnResult> {
      // Guards run before any model call: a safety issue goes to a person, an injection is refused.
      if (isSensitive(message)) {
        await traceGuard('sensitive-escalated', 'agents');
        return escalateByGuard(ref, message);
      }
      if (isInjection(message)) {
        await traceGuard('injection-refused', 'agents');
        return refusal(ref.conversationId);
      }
      // Anger, a large demand or a request for a person, in any of four languages: a person, at once.
      const cue = escalationCue(message, readOrderSlots(message));
      if (cue) {
        const reply = templatesFor(nextLanguage(undefined, message))[cue.reply];
        return escalateByGuard(ref, message, { trigger: cue.trigger, reason: cue.reason, reply });
      }
      const window = await deps.conversations.window(ref, deps.historyTokens ?? 3000, signal);
      const messages: AgentMessage[] = [
        ...(window.summary
          ? [{ role: 'assistant' as const, content: `Summary of the conversation so far: ${window.summary}` }]
          : []),
        ...window.messages.flatMap((entry): AgentMessage[] => {
          if (entry.role === 'user') return [{ role: 'user', content: entry.content }];
          if (entry.role === 'assistant' || entry.role === 'operator')
            return [{ role: 'assistant', content: entry.content }];
          return [];
        }),
      ];
      // The agents answer in the customer's language (their instructions are written in English).
      const note = languageNote(conversationLanguage(window.messages));
      if (note) messages.unshift({ role: 'assistant', content: note });
      const customer = await deps.customers.get(ref);
      const result = await runner.run(
        { ...ref, messages, ...(customer ? { customer } : {}) },
        signal ? { signal } : {},
      );
      return fromRun(ref, result);
    },

    /**
     * Decides a run paused for approval; the approved return is then recorded as `approved`. A run of
     * another tenant is `run_not_found`.
     */
    async decide(tenantId: string, runId: string, decision: ApprovalDecision): Promise<SupportTurnResult> {
      const stored = await deps.runs.load(tenantId, runId);
      if (!stored) throw new NotFoundError('run_not_found', `There is no run ${runId}.`);
      const earlier = (stored.state as { toolCalls?: unknown[] }).toolCalls?.length ?? 0;
      const choice = { tenantId, by: decision.by, ...(decision.reason ? { reason: decision.reason } : {}) };
      const result = decision.approved
        ? await runner.approve(runId, choice)
        : await runner.reject(runId, choice);
      if (decision.approved) {
        // start_return records a refund above the limit as awaiting approval; a person just gave it.
        await deps.db.query(
          `UPDATE support_returns SET status = 'approved'
           WHERE tenant_id = $1 AND status = 'awaiting_approval' AND id = ANY($2::bigint[])`,
          [tenantId, approvedReturnIds(result)],
        );
      }
      const ref = { tenantId, conversationId: stored.conversationId };
      return fromRun(ref, { ...result, toolCalls: result.toolCalls.slice(earlier) });
    },
  };
}

/** The agents' mode. */
export type AgentMode = ReturnType<typeof createAgentMode>;

function refusal(conversationId: string): SupportTurnResult {
  return {
    conversationId,
    reply: REFUSAL,
    mode: 'agents',
    agent: 'triage',
    toolCalls: [],
    route: ['triage'],
    citations: [],
    escalated: false,
    refused: true,
  };
}
