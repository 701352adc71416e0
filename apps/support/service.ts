/**
 * @module support/service
 * One customer turn of the support app. With a language model the agents run on the runtime (mode
 * `agents`, agent-mode.ts); without one the no-LLM policy answers (mode `routed`, routed-mode.ts).
 * Either way the conversation is stored, escalations go to the operator inbox, a conversation a
 * person holds gets no assistant reply, and the turn's tool calls are written to the transcript.
 *
 * @example
 * const support = createSupportService(app, { retriever: app.retriever, router });
 * const turn = await support.turn({ tenantId, message: 'Where is my order GW-10004?' });
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { Registry } from 'prom-client';
import type { InboxService } from '../../src/agents/inbox/inbox.ts';
import type { IntentRouter } from '../../src/agents/intents/router.ts';
import type { CustomerMemory } from '../../src/agents/memory/customer.ts';
import type { ConversationMemory } from '../../src/agents/memory/window.ts';
import { type ConversationCaller, mayOpenConversation } from '../../src/answer/chat.ts';
import { InvalidRequestError, NotFoundError } from '../../src/errors.ts';
import type { GuardrailPipeline } from '../../src/guardrails/pipeline.ts';
import type { GroundworkMetrics } from '../../src/observability/metrics.ts';
import { createAnalyzer } from '../../src/retrieval/lexical/analyzer.ts';
import type { ConversationRef } from '../../src/spec/agent-services.ts';
import type { AgentRunStore, AnyAgentTool, PendingActionStore } from '../../src/spec/agents.ts';
import { appendMessage, createConversation, getConversation } from '../../src/store/conversations.ts';
import type { Database } from '../../src/store/database.ts';
import { ensureTenant } from '../../src/store/documents.ts';
import { openEscalationOf } from '../../src/store/escalations.ts';
import { PostgresPendingActionStore } from '../../src/store/pending-actions.ts';
import { type AgentMode, type ApprovalDecision, createAgentMode } from './agent-mode.ts';
import { ConversationCustomers } from './conversation-customers.ts';
import { type HandBackAnswers, handBackAnswersFor } from './handback-answers.ts';
import { listPendingApprovals, type PendingApprovalView } from './pending-approvals.ts';
import { pendingCustomerText } from './pending-messages.ts';
import { decideRoutedApproval, isRoutedRun } from './routed-approvals.ts';
import { createRoutedMode, type RoutedMode } from './routed-mode.ts';
import { createRoutedPolicy } from './routed-policy.ts';
import { RoutedSessions } from './routed-sessions.ts';
import { createSupportTools, type SearchPort, type SupportTools } from './tools/index.ts';
import type { SupportMode, SupportTurnRequest, SupportTurnResult } from './turn-result.ts';
import { VerificationGuard, type VerificationGuardOptions } from './verification/guard.ts';
import { VerificationLockouts } from './verification/lockouts.ts';
import { verificationMetrics } from './verification/metrics.ts';

export type {
  SupportCitation,
  SupportMode,
  SupportToolCall,
  SupportTurnRequest,
  SupportTurnResult,
} from './turn-result.ts';

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
  /** Wall-clock budget of one agents' turn; the runtime's default (60 s) when absent. */
  readonly budgetMs?: number;
  /** A tool call's timeout in the agents' mode; the runtime's default (30 s) when absent. */
  readonly toolTimeoutMs?: number;
  /** Operator-configured tools (the app's MCP servers) for the agents; unused without a model. */
  readonly operatorTools?: readonly AnyAgentTool[];
  /** Verification limits and their clock (tests move it); the defaults and the wall clock when absent. */
  readonly verification?: Pick<VerificationGuardOptions, 'limits' | 'now'>;
  /** Where the verification counters go (the app's registry); not counted when absent. */
  readonly registry?: Registry;
  /**
   * Moderation of customers' messages, per the tenant's category actions (block, escalate to the
   * inbox, or log); the policy and the agents refuse injection attempts themselves. None when absent.
   */
  readonly moderation?: Pick<GuardrailPipeline, 'run' | 'has'>;
}

const MAX_MESSAGE = 4000;
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
  /** Counts and decides verification attempts (its `limits` are the ones in force). */
  readonly verification: VerificationGuard;
  /** Verification lockouts, for operators (HTTP and CLI). */
  readonly lockouts: VerificationLockouts;
  private readonly agents?: AgentMode;
  private readonly routed: RoutedMode;
  private readonly handBacks: HandBackAnswers;
  /** State-changing calls waiting for the customer's yes, in both modes. */
  private readonly pendingActions: PendingActionStore;

  constructor(private readonly deps: SupportServiceDependencies) {
    this.pendingActions = new PostgresPendingActionStore(deps.db);
    this.customers = new ConversationCustomers(deps.db);
    this.verification = new VerificationGuard(deps.db, {
      ...deps.verification,
      ...(deps.registry ? { metrics: verificationMetrics(deps.registry) } : {}),
    });
    this.lockouts = new VerificationLockouts(deps.db, this.verification.limits, deps.verification?.now);
    this.tools = createSupportTools({
      db: deps.db,
      retriever: deps.retriever,
      now: deps.now,
      verification: this.verification,
    });
    this.routed = createRoutedMode({
      policy: createRoutedPolicy({
        db: deps.db,
        router: deps.router,
        tools: this.tools,
        analyzer: createAnalyzer(),
        runs: deps.runs,
        actions: this.pendingActions,
      }),
      sessions: new RoutedSessions(deps.db),
      customers: this.customers,
      inbox: deps.inbox,
      actions: this.pendingActions,
    });
    this.mode = deps.model ? 'agents' : 'routed';
    if (deps.model) {
      this.agents = createAgentMode({
        ...deps,
        model: deps.model,
        tools: this.tools,
        customers: this.customers,
        pendingActions: this.pendingActions,
      });
    }
    this.handBacks = handBackAnswersFor(deps.inbox.events, (ref) => this.answerPending(ref));
  }

  /** Resolves when the answers the assistant gives after hand-backs so far are stored. */
  idle(): Promise<void> {
    return this.handBacks.idle();
  }

  /**
   * Answers what the customer wrote while a person held the conversation and nobody answered (run
   * when an operator hands it back); nothing when all was answered or a person holds it again.
   */
  async answerPending(ref: ConversationRef): Promise<SupportTurnResult | undefined> {
    if (await openEscalationOf(this.deps.db, ref.tenantId, ref.conversationId)) return undefined;
    const pending = await pendingCustomerText(this.deps.db, ref, MAX_MESSAGE);
    if (pending.count === 0) return undefined;
    return this.respond(ref, pending.text);
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
    await this.deps.db.transaction((tx) =>
      appendMessage(tx, tenantId, conversationId, { role: 'user', content: message }),
    );
    if (request.customer) await this.customers.save(ref, request.customer);
    await this.notify(ref, 'user');

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
    // Messages written while a person held the conversation, unanswered, are answered with this one.
    const pending = await pendingCustomerText(this.deps.db, ref, MAX_MESSAGE);
    return this.respond(ref, pending.count > 1 ? pending.text : message, request.signal);
  }

  /** The assistant's answer to `message` (moderated first), stored. */
  private async respond(ref: ConversationRef, message: string, signal?: AbortSignal) {
    const moderated = await this.moderate(ref, message, signal);
    if (moderated) return this.finish(ref, 'answered', moderated);
    const result = this.agents
      ? await this.agents.turn(ref, message, signal)
      : await this.routed.turn(ref, message);
    return this.finish(ref, 'answered', result);
  }

  /** Tells operators following an escalated conversation; a failure here never fails the turn. */
  private async notify(ref: ConversationRef, role: 'user' | 'assistant'): Promise<void> {
    try {
      await this.deps.inbox.messageAdded(ref, role);
    } catch {
      // The case view also refreshes on the operator's next action or reload.
    }
  }

  /**
   * The reply when moderation stops the message: a refusal for a blocked category, or, for one a
   * person reviews (self-harm by default), the conversation is parked in the inbox by the pipeline and
   * the customer is told so. Nothing when the message passes or is only logged.
   */
  private async moderate(
    ref: ConversationRef,
    message: string,
    signal?: AbortSignal,
  ): Promise<SupportTurnResult | undefined> {
    const moderation = this.deps.moderation;
    if (!moderation?.has('input')) return undefined;
    const outcome = await moderation.run(message, {
      stage: 'input',
      tenantId: ref.tenantId,
      conversationId: ref.conversationId,
      signal,
    });
    const stopped = outcome.stopped;
    if (!stopped) return undefined;
    const escalated = stopped.action === 'escalate';
    return {
      conversationId: ref.conversationId,
      reply: stopped.reason,
      mode: escalated ? 'human' : this.mode,
      agent: escalated ? 'human' : 'moderation',
      toolCalls: [],
      route: [escalated ? 'human' : 'moderation'],
      citations: [],
      escalated,
      refused: !escalated,
    };
  }

  /**
   * Decides a run paused for approval; the approved return is then recorded as `approved`, and the
   * customer sees the decision as an event line before the reply that follows from it. A run of
   * another tenant, or any run without a model, is `run_not_found`.
   */
  async decide(tenantId: string, runId: string, decision: ApprovalDecision): Promise<SupportTurnResult> {
    const stored = await this.deps.runs.load(tenantId, runId);
    if (!stored) throw new NotFoundError('run_not_found', `There is no run ${runId}.`);
    let result: SupportTurnResult;
    if (isRoutedRun(stored.state)) {
      // A refund the no-LLM policy sent for approval: decided here, in either mode.
      const deps = { db: this.deps.db, runs: this.deps.runs, tools: this.tools, customers: this.customers };
      result = await decideRoutedApproval(deps, tenantId, runId, decision);
    } else if (this.agents) result = await this.agents.decide(tenantId, runId, decision);
    else throw new NotFoundError('run_not_found', `There is no run ${runId}.`);
    await this.deps.db.transaction((tx) =>
      appendMessage(tx, tenantId, result.conversationId, {
        role: 'system',
        content: decision.approved ? APPROVAL_NOTICES.approved : APPROVAL_NOTICES.rejected,
      }),
    );
    return this.finish({ tenantId, conversationId: result.conversationId }, 'answered', result);
  }

  /** Runs paused for approval in the tenant, oldest first, with the customer and the refund at stake. */
  pendingApprovals(tenantId: string, limit = 100): Promise<PendingApprovalView[]> {
    return listPendingApprovals(this.deps.db, this.customers, tenantId, limit);
  }

  /**
   * Stores the tool calls (operators see them in the transcript) and the reply, whose ordinal the
   * result then carries as `replyOrdinal`.
   */
  private async finish(
    ref: ConversationRef,
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
    if (replyOrdinal === undefined) return result;
    await this.notify(ref, 'assistant');
    return { ...result, replyOrdinal };
  }

  /**
   * The conversation to answer in: a new one owned by the caller, or an existing one the caller may
   * continue (another customer's reads as `conversation_not_found`, like another tenant's).
   */
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
      throw new NotFoundError('conversation_not_found', `There is no conversation ${id}.`);
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
    readonly observability: {
      readonly metrics: SupportServiceDependencies['metrics'] & { readonly registry: Registry };
    };
    readonly languageModel: LanguageModelV3 | null;
    readonly moderation?: SupportServiceDependencies['moderation'];
  },
  options: Pick<
    SupportServiceDependencies,
    | 'retriever'
    | 'router'
    | 'now'
    | 'historyTokens'
    | 'budgetMs'
    | 'toolTimeoutMs'
    | 'operatorTools'
    | 'verification'
    | 'moderation'
  > & {
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
    registry: app.observability.metrics.registry,
    moderation: app.moderation,
    ...options,
    model: options.model === undefined ? app.languageModel : options.model,
  });
}
