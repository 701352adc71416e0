/**
 * @module spec/agents
 * The agent runtime's ports: tools, agents and what a tool may know about the caller. The runtime
 * (src/agents) runs these definitions; apps (apps/support) declare them. Types only.
 */
import type { JSONSchema7 } from '@ai-sdk/provider';
import type { z } from 'zod';

/**
 * A customer whose identity was checked before any personal data is read: by a signed session, or by
 * an order number plus the email on that order. Tools that read customer data take the id from here,
 * never from the model's arguments.
 */
export interface VerifiedCustomer {
  readonly customerId: string;
  readonly email?: string;
  readonly name?: string;
  readonly verifiedBy: 'session' | 'order-and-email';
}

/** What a running tool knows about its caller. */
export interface ToolContext {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly runId: string;
  /** Present once the customer is verified; tools over personal data refuse without it. */
  readonly customer?: VerifiedCustomer;
  /** Aborted when the tool's timeout or the run's budget runs out, or the client goes away. */
  readonly signal: AbortSignal;
}

/** A tool's input schema: zod for tools we write, JSON Schema for tools from MCP servers. */
export type ToolInputSchema<Input> = z.ZodType<Input> | { readonly jsonSchema: JSONSchema7 };

/**
 * A tool an agent may call. A thrown error, a timeout or invalid arguments go back to the model as the
 * tool's result (with a reason), never end the run.
 *
 * @example
 * const shipmentStatus = defineTool({
 *   name: 'shipment_status',
 *   description: 'Where an order of the verified customer is.',
 *   inputSchema: z.object({ orderNumber: z.string() }),
 *   execute: ({ orderNumber }, context) => orders.shipmentStatus(context, orderNumber),
 * });
 */
export interface AgentTool<Input = unknown, Output = unknown> {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: ToolInputSchema<Input>;
  /** Milliseconds before the call is aborted and reported to the model as timed out. */
  readonly timeoutMs?: number;
  /**
   * Pauses the run for a person to approve or reject the call (e.g. a refund). A rule may be async,
   * because whether a call needs approval can depend on stored data (the refund of an order above a limit).
   */
  readonly needsApproval?: boolean | ApprovalRule<Input>;
  /**
   * `write` for a tool that changes state (a return, a refund, a cancellation, an address change).
   * The runtime never runs such a call when the model makes it: it records a pending action, states
   * it to the customer (`describeAction`) and runs it only on an explicit yes in the customer's next
   * turn. Default `read`.
   */
  readonly effect?: ToolEffect;
  /**
   * The exact action a `write` call would take, in words the customer reads before confirming (items,
   * amount, refund method), worked out from stored data rather than the model's words. Required with
   * `effect: 'write'`.
   */
  describeAction?(input: Input, context: ToolContext): Promise<string> | string;
  /**
   * Checks, without changing anything, that the call would succeed (ownership, eligibility, policy).
   * Returns the refusal the tool would give (handed to the model as the call's result), or undefined
   * when it may go ahead. The runtime runs it before the customer is asked to confirm and before a
   * person is asked to approve, so nobody decides a request that would fail.
   */
  precheck?(input: Input, context: ToolContext): Promise<Output | undefined>;
  execute(input: Input, context: ToolContext): Promise<Output>;
}

/** Whether a tool only reads, or changes state (and so needs the customer's confirmation). */
export type ToolEffect = 'read' | 'write';

/**
 * A state-changing call the customer was asked to confirm: stored (not kept in memory) so a restart
 * between the question and the answer loses nothing. One per conversation; a newer one replaces it.
 */
export interface PendingAction {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly toolName: string;
  readonly input: unknown;
  /** The agent (or routed-mode agent) that proposed it. */
  readonly agent: string;
  /** What the customer was told would happen. */
  readonly description: string;
  /** ISO 8601. */
  readonly proposedAt: string;
}

/**
 * Durable pending actions. `take` removes and returns in one step, so two concurrent turns cannot
 * both run the same confirmed action. Every method filters by tenant.
 */
export interface PendingActionStore {
  propose(action: PendingAction): Promise<void>;
  get(tenantId: string, conversationId: string): Promise<PendingAction | undefined>;
  take(tenantId: string, conversationId: string): Promise<PendingAction | undefined>;
}

/**
 * Decides per call whether a person must approve it. Declared through a method so its parameter is
 * bivariant: a tool typed for its own input still fits in an agent's list of tools.
 */
export type ApprovalRule<Input> = {
  bivariant(input: Input, context: ToolContext): boolean | Promise<boolean>;
}['bivariant'];

/** Any tool, whatever its input and output types (what an agent's tool list holds). */
export type AnyAgentTool = AgentTool<unknown, unknown>;

/** An agent: instructions, tools and the agents it may hand the conversation to. */
export interface AgentDefinition {
  readonly name: string;
  /** One line the triage agent (or the intent router) routes by. */
  readonly description: string;
  readonly instructions: string;
  readonly tools?: readonly AnyAgentTool[];
  /** Names of agents this one may hand off to. */
  readonly handoffs?: readonly string[];
  /** Model steps per turn before the run stops (default from the runner). */
  readonly maxSteps?: number;
}

/** Why a conversation went to a person. */
export type EscalationTrigger =
  | 'customer-request'
  | 'repeated-failure'
  | 'sensitive-request'
  | 'low-confidence'
  | 'agent-decision';

/** Which engine answered a turn: a language model, or the no-LLM intent router with templates. */
export type AgentMode = 'generative' | 'routed' | 'human';

/** A conversation handed to a person: what the runtime gives the operator inbox. */
export interface Escalation {
  readonly tenantId: string;
  readonly conversationId: string;
  readonly runId: string;
  /** The agent that escalated. */
  readonly agent: string;
  readonly reason: string;
  readonly trigger: EscalationTrigger;
}

/**
 * Where escalations go (the operator inbox implements it). The runner calls it once per escalated
 * turn, after the turn's tool calls are done; a failure is reported in the turn's result, not thrown.
 */
export interface EscalationSink {
  escalate(escalation: Escalation): Promise<void>;
}

/** Where a run is: `paused` waits for a person to approve or reject a tool call. */
export type AgentRunStatus = 'running' | 'paused' | 'completed' | 'failed';

/** A persisted run. `state` is the runtime's serialised RunState (JSON, versioned by the runtime). */
export interface StoredAgentRun {
  readonly id: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly status: AgentRunStatus;
  readonly state: unknown;
}

/**
 * Durable storage of runs, so a paused run survives a restart. Every method filters by tenant: a run
 * of another tenant reads as missing.
 */
export interface AgentRunStore {
  /** Inserts or replaces the run. */
  save(run: StoredAgentRun): Promise<void>;
  load(tenantId: string, runId: string): Promise<StoredAgentRun | undefined>;
  /**
   * Moves a paused run to `running` and returns it, or returns undefined when it is not paused (so two
   * approvals of one run cannot both resume it).
   */
  claimPaused(tenantId: string, runId: string): Promise<StoredAgentRun | undefined>;
}

/** A person's answer to an approval request. */
export interface ApprovalDecision {
  readonly tenantId: string;
  /** Who decided (an operator id or name); the model sees it on a rejection. */
  readonly by: string;
  readonly reason?: string;
  /** The calls decided; default every pending call of the run. */
  readonly toolCallIds?: readonly string[];
}
