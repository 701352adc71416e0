/**
 * @module spec/agent-services
 * Ports of the services around the agent runtime: escalating a conversation to a person, and the
 * conversation's memory window. The runner codes against these; src/agents implements them. Types
 * only. (Kept apart from spec/agents.ts so the runtime's and the services' ports can grow separately.)
 */
import type { EscalationTrigger, VerifiedCustomer } from './agents.ts';

/** A conversation of a tenant: what a `ToolContext` already carries, so it can be passed as is. */
export interface ConversationRef {
  readonly tenantId: string;
  readonly conversationId: string;
}

/** A note an agent leaves for the operator (what it tried, what it suspects). */
export interface EscalationNote {
  readonly agent: string;
  readonly text: string;
}

/** What the runner hands over when a conversation goes to a person. */
export interface EscalationRequest extends ConversationRef {
  readonly trigger: EscalationTrigger;
  /** One line for the inbox list: why a person is needed. */
  readonly reason: string;
  readonly notes?: readonly EscalationNote[];
  readonly customer?: VerifiedCustomer;
  /** Anything else the operator should see about the customer (plan, open orders, language). */
  readonly customerContext?: Readonly<Record<string, unknown>>;
}

/** Parks conversations in the operator inbox. */
export interface Escalator {
  /**
   * Parks the conversation; escalating a conversation that is already waiting or claimed adds the
   * notes to that escalation and returns it.
   */
  escalate(request: EscalationRequest): Promise<{ readonly id: string; readonly status: string }>;
  /** Whether a person holds the conversation now (the runner then stays silent). */
  isWithPerson(ref: ConversationRef): Promise<boolean>;
}

/** A message of the memory window. */
export interface MemoryMessage {
  readonly role: 'user' | 'assistant' | 'operator' | 'system';
  readonly content: string;
}

/** What to send the model: a summary of older turns (if any) and the recent messages verbatim. */
export interface MemoryWindow {
  readonly summary: string | null;
  readonly messages: readonly MemoryMessage[];
  /** Tokens of the summary plus the messages. */
  readonly tokens: number;
}
