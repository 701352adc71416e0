/**
 * @module support/service
 * One customer turn of the support app. With a language model the agents run on the runtime (mode
 * `agents`); without one the no-LLM policy answers (mode `routed`). Either way the conversation is
 * stored, escalations go to the operator inbox, a conversation a person holds gets no assistant
 * reply, and the turn's steps, tool errors and escalations are counted.
 *
 * @example
 * const support = createSupportService(app, { retriever: app.retriever, router });
 * const turn = await support.turn({ tenantId, message: 'Where is my order GW-10004?' });
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { InboxService } from '../../src/agents/inbox.ts';
import {
  type AgentMessage,
  type AgentRunner,
  type AgentRunResult,
  createAgentRunner,
  TRANSFER_PREFIX,
} from '../../src/agents/index.ts';
import type { IntentRouter } from '../../src/agents/intent-router.ts';
import type { CustomerMemory } from '../../src/agents/memory-customer.ts';
import { createMemoryTools } from '../../src/agents/memory-tools.ts';
import type { ConversationMemory } from '../../src/agents/memory-window.ts';
import { type ConversationCaller, mayOpenConversation } from '../../src/answer/chat.ts';
import { InvalidRequestError } from '../../src/errors.ts';
import type { GroundworkMetrics } from '../../src/observability/metrics.ts';
import { createAnalyzer } from '../../src/retrieval/lexical/analyzer.ts';
import type { AgentRunStore, VerifiedCustomer } from '../../src/spec/agents.ts';
import { appendMessage, createConversation, getConversation } from '../../src/store/conversations.ts';
import type { Database } from '../../src/store/database.ts';
import { ensureTenant } from '../../src/store/documents.ts';
import { openEscalationOf } from '../../src/store/escalations.ts';
import { createSupportAgents } from './agents.ts';
import { listPendingApprovals, type PendingApprovalView } from './approvals.ts';
import { ConversationCustomers } from './conversation-customers.ts';
import { createSupportPolicy, type SupportSession } from './policy.ts';
import { isInjection, isSensitive } from './policy-guards.ts';
import { approvalReply, citationsOf, REFUSAL, SENSITIVE_REPLY, toolCallsOf } from './service-replies.ts';
import { createSupportTools, type SearchPort, type SupportTools } from './tools/index.ts';

/** How a turn was answered: the agents on a model, the no-LLM policy, or a person. */
export type SupportMode = 'agents' | 'routed' | 'human';

/** One tool call as the caller sees it. */
export interface SupportToolCall {
  readonly name: string;
  readonly input: unknown;
  readonly output?: unknown;
  readonly error?: string;
}

/** A passage the reply cites. */
export interface SupportCitation {
  readonly n: number;
  readonly title: string | null;
  readonly source: string;
  readonly page: number | null;
}

/** A turn's outcome. */
export interface SupportTurnResult {
  readonly conversationId: string;
  readonly reply: string;
  readonly mode: SupportMode;
  readonly agent: string;
  readonly toolCalls: readonly SupportToolCall[];
  /** The agents the turn went through, in order (handoffs); one entry without a model. */
  readonly route: readonly string[];
  readonly citations: readonly SupportCitation[];
  readonly escalated: boolean;
  /** A tool or guard declined what was asked (unknown order, failed verification, injection). */
  readonly refused: boolean;
  /** Present when a person must approve a call (a refund above the limit) before the run goes on. */
  readonly pendingApproval?: {
    /**
     * The paused run to approve (`/v1/support/approvals/:runId/approve`). Absent in `routed` mode:
     * there the return is stored as `awaiting_approval` in the orders store, with no run to resume.
     */
    readonly runId?: string;
    readonly calls: readonly SupportToolCall[];
  };
  /**
   * The ordinal of the stored reply in the conversation (absent while a person holds it: nothing is
   * stored). A client polling the conversation skips it, since it has the reply from this response.
   */
  readonly replyOrdinal?: number;
}

/** A customer's message. */
export interface SupportTurnRequest {
  readonly tenantId: string;
  /** Omitted: a new conversation is started. */
  readonly conversationId?: string;
  /** A customer the caller already verified (a signed-in session). */
  readonly customer?: VerifiedCustomer;
  /**
   * Who is writing: a new conversation is owned by `caller.owner`, and a customer may continue only
   * their own (another's reads as `conversation_not_found`, like another tenant's).
   */
  readonly caller?: ConversationCaller;
  readonly message: string;
  readonly signal?: AbortSignal;
}

/** What the service is built from; `createSupportService` takes most of it from the app. */
export interface SupportServiceDependencies {
  readonly db: Database;
  readonly inbox: InboxService;
  readonly conversations: ConversationMemory;
  readonly customerMemory?: CustomerMemory;
  readonly runs: AgentRunStore;
  readonly metrics: Pick<GroundworkMetrics, 'agentSteps' | 'toolErrors' | 'escalations'>;
  readonly retriever: SearchPort;
  readonly router: IntentRouter;
  /** With a model the agents answer; without, the no-LLM policy. */
  readonly model?: LanguageModelV3 | null;
  /** The return window's clock (scenarios pin it to the seed's date). */
  readonly now?: () => Date;
  /** Tokens of conversation the agents see; default 3000. */
  readonly historyTokens?: number;
}

const MAX_MESSAGE = 4000;
/** Conversations whose routed-policy state is kept in memory. */
const MAX_ROUTED_SESSIONS = 10_000;
const PERSON_JOINED = 'A person has joined the conversation and will reply here.';
const PERSON_WAITING = 'Your conversation is with our team; a person will reply here shortly.';

/** Event lines the customer sees when a person decides a request that waited for approval. */
export const APPROVAL_NOTICES = {
  approved: 'A team member approved your request.',
  rejected: 'A team member declined your request.',
} as const;

/** The support service. */
export class SupportService {
  readonly mode: Exclude<SupportMode, 'human'>;
  readonly customers: ConversationCustomers;
  readonly tools: SupportTools;
  private readonly runner?: AgentRunner;
  private readonly policy;
  /** The no-LLM policy's per-conversation state (pending intent, failures); in process only. */
  private readonly sessions = new Map<string, SupportSession>();

  constructor(private readonly deps: SupportServiceDependencies) {
    this.customers = new ConversationCustomers(deps.db);
    this.tools = createSupportTools({ db: deps.db, retriever: deps.retriever, now: deps.now });
    this.policy = createSupportPolicy({ router: deps.router, tools: this.tools, analyzer: createAnalyzer() });
    this.mode = deps.model ? 'agents' : 'routed';
    if (deps.model) {
      const memory = deps.customerMemory ? createMemoryTools(deps.customerMemory) : undefined;
      this.runner = createAgentRunner({
        agents: createSupportAgents({
          tools: this.tools,
          customers: this.customers,
          memoryTools: memory ? [memory.recall, memory.remember] : undefined,
        }),
        triage: 'triage',
        model: deps.model,
        store: deps.runs,
        escalations: {
          // The operator sees who the customer is and which agent gave up.
          escalate: async (escalation) => {
            const customer = await this.customers.get(escalation);
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
    }
  }

  /** Answers one customer message. Bad input is an `InvalidRequestError` (a 4xx at the edge). */
  async turn(request: SupportTurnRequest): Promise<SupportTurnResult> {
    const message = request.message.trim();
    if (!message) throw new InvalidRequestError('empty_message', 'The message is empty.');
    if (message.length > MAX_MESSAGE)
      throw new InvalidRequestError('message_too_long', `A message has at most ${MAX_MESSAGE} characters.`);
    const { tenantId } = request;
    const conversationId = await this.conversation(tenantId, request.conversationId, message, request.caller);
    const ref = { tenantId, conversationId };
    await this.store(ref, { role: 'user', content: message });
    if (request.customer) await this.customers.save(ref, request.customer);

    const held = await openEscalationOf(this.deps.db, tenantId, conversationId);
    if (held) {
      // A person holds the conversation: the assistant stays silent and the customer is told so.
      return this.finish(ref, 'held', {
        conversationId,
        reply: held.status === 'claimed' ? PERSON_JOINED : PERSON_WAITING,
        mode: 'human',
        agent: 'human',
        toolCalls: [],
        route: ['human'],
        citations: [],
        escalated: true,
        refused: false,
      });
    }
    const result = this.runner
      ? await this.agentTurn(ref, message, request.signal)
      : await this.routedTurn(ref, message);
    return this.finish(ref, 'answered', result);
  }

  /**
   * Decides a run paused for approval; the approved return is then recorded as `approved`. A run of
   * another tenant is `run_not_found`.
   */
  async decide(
    tenantId: string,
    runId: string,
    decision: { approved: boolean; by: string; reason?: string },
  ): Promise<SupportTurnResult> {
    if (!this.runner) throw new InvalidRequestError('run_not_found', `There is no run ${runId}.`);
    const stored = await this.deps.runs.load(tenantId, runId);
    if (!stored) throw new InvalidRequestError('run_not_found', `There is no run ${runId}.`);
    const earlier = (stored.state as { toolCalls?: unknown[] }).toolCalls?.length ?? 0;
    const choice = { tenantId, by: decision.by, ...(decision.reason ? { reason: decision.reason } : {}) };
    const result = decision.approved
      ? await this.runner.approve(runId, choice)
      : await this.runner.reject(runId, choice);
    if (decision.approved) {
      // start_return records a refund above the limit as awaiting approval; a person just gave it.
      await this.deps.db.query(
        `UPDATE support_returns SET status = 'approved'
         WHERE tenant_id = $1 AND status = 'awaiting_approval' AND id = ANY($2::bigint[])`,
        [tenantId, approvedReturnIds(result)],
      );
    }
    const ref = { tenantId, conversationId: stored.conversationId };
    // The customer sees the decision as an event line, before the reply that follows from it.
    await this.deps.db.transaction((tx) =>
      appendMessage(tx, tenantId, ref.conversationId, {
        role: 'system',
        content: decision.approved ? APPROVAL_NOTICES.approved : APPROVAL_NOTICES.rejected,
      }),
    );
    const resumed = { ...result, toolCalls: result.toolCalls.slice(earlier) };
    return this.finish(ref, 'answered', await this.fromRun(ref, resumed));
  }

  /** Runs paused for approval in the tenant, oldest first, with the customer and the refund at stake. */
  pendingApprovals(tenantId: string, limit = 100): Promise<PendingApprovalView[]> {
    return listPendingApprovals(this.deps.db, this.customers, tenantId, limit);
  }

  private async agentTurn(
    ref: { tenantId: string; conversationId: string },
    message: string,
    signal?: AbortSignal,
  ): Promise<SupportTurnResult> {
    // Guards run before any model call: a safety issue goes to a person, an injection is refused.
    if (isSensitive(message)) return this.escalateByGuard(ref, message);
    if (isInjection(message)) return refusal(ref.conversationId);
    const window = await this.deps.conversations.window(ref, this.deps.historyTokens ?? 3000, signal);
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
    const customer = await this.customers.get(ref);
    const result = await this.runner!.run(
      { ...ref, messages, ...(customer ? { customer } : {}) },
      signal ? { signal } : {},
    );
    return this.fromRun(ref, result);
  }

  private async fromRun(
    ref: { tenantId: string; conversationId: string },
    result: AgentRunResult,
  ): Promise<SupportTurnResult> {
    const calls = toolCallsOf(result.toolCalls);
    this.deps.metrics.agentSteps.inc({ agent: result.agent }, result.steps);
    for (const call of calls) if (call.error) this.deps.metrics.toolErrors.inc({ tool: call.name });
    const paused = result.stopReason === 'awaiting-approval' && result.pendingApprovals;
    const escalated = result.stopReason === 'escalated';
    let reply = result.text.trim();
    if (paused)
      reply = `${reply ? `${reply}\n\n` : ''}${await approvalReply(this.deps.db, ref, this.customers, result.pendingApprovals ?? [])}`;
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
    };
  }

  private async routedTurn(
    ref: { tenantId: string; conversationId: string },
    message: string,
  ): Promise<SupportTurnResult> {
    const key = `${ref.tenantId}\u0000${ref.conversationId}`;
    const session = this.sessions.get(key) ?? this.policy.startSession(ref.tenantId, ref.conversationId);
    // Most recent last; the oldest state is dropped past the cap (it only holds a pending intent).
    this.sessions.delete(key);
    this.sessions.set(key, session);
    if (this.sessions.size > MAX_ROUTED_SESSIONS) this.sessions.delete(this.sessions.keys().next().value!);
    session.customer = (await this.customers.get(ref)) ?? session.customer;
    const wasVerified = session.customer?.customerId;
    const turn = await this.policy.turn(session, message);
    if (session.customer && session.customer.customerId !== wasVerified)
      await this.customers.save(ref, session.customer);
    const calls = turn.toolCalls.map((call) => ({ name: call.name, input: call.input, output: call.output }));
    if (turn.escalated) {
      await this.deps.inbox.escalate({
        ...ref,
        trigger: turn.escalated,
        reason: `${turn.intent}: ${message.slice(0, 200)}`,
        notes: [{ agent: 'routed', text: `Routed as ${turn.intent}; the no-LLM policy escalated.` }],
        ...(session.customer ? { customer: session.customer } : {}),
      });
    }
    return {
      conversationId: ref.conversationId,
      reply: turn.reply,
      mode: turn.escalated ? 'human' : 'routed',
      agent: turn.agent,
      toolCalls: calls,
      route: [turn.agent],
      citations: citationsOf(calls, turn.reply),
      escalated: Boolean(turn.escalated),
      refused: Boolean(turn.refused),
      ...(turn.approvalRequested
        ? { pendingApproval: { calls: calls.filter((call) => call.name === 'start_return') } }
        : {}),
    };
  }

  private async escalateByGuard(ref: { tenantId: string; conversationId: string }, message: string) {
    const customer = await this.customers.get(ref);
    await this.deps.inbox.escalate({
      ...ref,
      trigger: 'sensitive-request',
      reason: `Sensitive: ${message.slice(0, 200)}`,
      notes: [{ agent: 'guard', text: 'A safety or legal topic; no agent was asked.' }],
      ...(customer ? { customer } : {}),
    });
    return {
      conversationId: ref.conversationId,
      reply: SENSITIVE_REPLY,
      mode: 'human' as const,
      agent: 'escalation',
      toolCalls: [],
      route: ['escalation'],
      citations: [],
      escalated: true,
      refused: false,
    };
  }

  /** Stores the reply and the tool calls (operators see them in the transcript) and counts the turn. */
  private async finish(
    ref: { tenantId: string; conversationId: string },
    how: 'held' | 'answered',
    result: SupportTurnResult,
  ): Promise<SupportTurnResult> {
    // Escalations are counted by the inbox (by trigger) when it parks the conversation.
    const replyOrdinal = await this.deps.db.transaction(async (tx) => {
      for (const call of result.toolCalls) {
        await appendMessage(tx, ref.tenantId, ref.conversationId, {
          role: 'tool',
          content: call.name,
          details: {
            name: call.name,
            input: call.input,
            output: call.output ?? null,
            error: call.error ?? null,
          },
        });
      }
      // While a person holds the conversation the assistant writes nothing into it.
      if (how !== 'answered') return undefined;
      return appendMessage(tx, ref.tenantId, ref.conversationId, {
        role: 'assistant',
        content: result.reply,
      });
    });
    return replyOrdinal === undefined ? result : { ...result, replyOrdinal };
  }

  private async store(
    ref: { tenantId: string; conversationId: string },
    message: { role: 'user'; content: string },
  ) {
    await this.deps.db.transaction((tx) => appendMessage(tx, ref.tenantId, ref.conversationId, message));
  }

  private async conversation(
    tenantId: string,
    id: string | undefined,
    message: string,
    caller: ConversationCaller | undefined,
  ): Promise<string> {
    if (id === undefined) {
      await ensureTenant(this.deps.db, tenantId);
      const owner = caller?.owner ?? null;
      return (await createConversation(this.deps.db, tenantId, message.slice(0, 80), owner)).id;
    }
    const found = await getConversation(this.deps.db, tenantId, id);
    if (!found || !mayOpenConversation(found, caller))
      throw new InvalidRequestError('conversation_not_found', `There is no conversation ${id}.`);
    return found.id;
  }
}

/** The service over a running product. */
export function createSupportService(
  app: {
    readonly db: Database;
    readonly inbox: InboxService;
    readonly memory: { readonly conversations: ConversationMemory; readonly customers: CustomerMemory };
    readonly agentRuns: AgentRunStore;
    readonly observability: { readonly metrics: SupportServiceDependencies['metrics'] };
    readonly languageModel: LanguageModelV3 | null;
  },
  options: Pick<SupportServiceDependencies, 'retriever' | 'router' | 'now' | 'historyTokens'> & {
    /** Overrides the app's model; `null` forces the no-LLM policy. */
    readonly model?: LanguageModelV3 | null;
  },
): SupportService {
  return new SupportService({
    db: app.db,
    inbox: app.inbox,
    conversations: app.memory.conversations,
    customerMemory: app.memory.customers,
    runs: app.agentRuns,
    metrics: app.observability.metrics,
    ...options,
    model: options.model === undefined ? app.languageModel : options.model,
  });
}

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

function isDeclined(output: unknown): boolean {
  return typeof output === 'object' && output !== null && (output as { ok?: unknown }).ok === false;
}

function approvedReturnIds(result: AgentRunResult): number[] {
  return result.toolCalls.flatMap((call) => {
    const output = call.output as { ok?: boolean; returnId?: number } | undefined;
    return call.toolName === 'start_return' && output?.ok && typeof output.returnId === 'number'
      ? [output.returnId]
      : [];
  });
}

/** The agents a run went through: where it started, then each successful handoff. */
function routeOf(result: AgentRunResult): string[] {
  const route: string[] = [];
  for (const call of result.toolCalls) {
    if (route.length === 0) route.push(call.agent);
    if (call.toolName.startsWith(TRANSFER_PREFIX) && !call.failure)
      route.push(call.toolName.slice(TRANSFER_PREFIX.length));
  }
  return route.length > 0 ? route : [result.agent];
}

function fallbackReply(result: AgentRunResult): string {
  if (result.stopReason === 'escalated')
    return 'I have passed your conversation to a person on our team; they will reply here.';
  return 'Sorry, I could not finish that. Could you rephrase, or ask for a person?';
}
