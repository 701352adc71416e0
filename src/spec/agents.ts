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
   * Pauses the run for a person to approve or reject the call (e.g. a refund). May be async, because
   * whether a call needs approval can depend on stored data (the refund of an order above a limit).
   */
  readonly needsApproval?: boolean | ((input: Input, context: ToolContext) => boolean | Promise<boolean>);
  execute(input: Input, context: ToolContext): Promise<Output>;
}

/** An agent: instructions, tools and the agents it may hand the conversation to. */
export interface AgentDefinition {
  readonly name: string;
  /** One line the triage agent (or the intent router) routes by. */
  readonly description: string;
  readonly instructions: string;
  readonly tools?: readonly AgentTool<never, unknown>[];
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
