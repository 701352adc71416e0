/**
 * @module support/turn-result
 * What a support turn returns to the caller, whichever mode answered: the reply, the agents it went
 * through, the tool calls, the cited passages and whether it escalated, was refused or waits for a
 * person's approval.
 */
import type { ConversationCaller } from '../../src/answer/chat.ts';
import type { VerifiedCustomer } from '../../src/spec/agents.ts';

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
    /** The paused run to approve (`/v1/support/approvals/:runId/approve`), in both modes. */
    readonly runId?: string;
    readonly calls: readonly SupportToolCall[];
  };
  /**
   * Present when the reply stated a state-changing action (a return) and waits for the customer's
   * explicit yes in their next message; nothing has changed yet.
   */
  readonly pendingAction?: { readonly toolName: string; readonly description: string };
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
