/**
 * @module agents/runner/events
 * What a run tells its caller while it goes (events, named noun-verb like the AI SDK's stream parts)
 * and when it is done (the result).
 */
import type { AgentMode, EscalationTrigger, PendingAction } from '../../spec/agents.ts';

/** Why a tool call produced no output. */
export type ToolFailureReason =
  | 'error'
  | 'timeout'
  | 'invalid-input'
  | 'unknown-tool'
  | 'rejected'
  | 'repeated'
  | 'not-run';

/** One tool call of a run and how it ended. */
export interface ToolCallRecord {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly agent: string;
  readonly input: unknown;
  readonly output?: unknown;
  readonly failure?: { readonly reason: ToolFailureReason; readonly message: string };
}

/** Why a turn ended. */
export type StopReason =
  | 'completed'
  | 'max-steps'
  | 'budget-exceeded'
  | 'aborted'
  | 'loop-detected'
  | 'escalated'
  | 'awaiting-approval'
  | 'awaiting-confirmation'
  | 'model-error';

/**
 * Where a state-changing call stands with the customer: asked to confirm, confirmed (it ran, or went
 * on to a person's approval), declined (the next turn was not an explicit yes), or not proposed (the
 * customer's message only asked about, supposed or refused the action).
 */
export type ConsentState = 'awaiting-confirmation' | 'confirmed' | 'declined' | 'not-proposed';

/** Tokens used. */
export interface AgentUsage {
  readonly inputTokens: number;
  readonly outputTokens: number;
}

/** A tool call waiting for a person. */
export interface PendingApproval {
  readonly toolCallId: string;
  readonly toolName: string;
  readonly input: unknown;
  readonly agent: string;
}

/** The outcome of a turn (or of resuming one). */
export interface AgentRunResult {
  readonly runId: string;
  readonly text: string;
  /** The agent that ended the turn; the app may pin the conversation to it. */
  readonly agent: string;
  readonly mode: AgentMode;
  /** Model steps in this turn, resumed parts included. */
  readonly steps: number;
  readonly toolCalls: readonly ToolCallRecord[];
  readonly usage: AgentUsage;
  readonly stopReason: StopReason;
  /** Present when `stopReason` is `awaiting-approval`. */
  readonly pendingApprovals?: readonly PendingApproval[];
  /** Present when `stopReason` is `awaiting-confirmation`: what the customer was asked to confirm. */
  readonly pendingAction?: PendingAction;
  /** Present when the turn escalated or the model failed. */
  readonly escalation?: {
    readonly reason: string;
    readonly trigger: EscalationTrigger;
    readonly delivered: boolean;
  };
  readonly error?: string;
}

/** Events of a run, in order. */
export type AgentEvent =
  | { readonly type: 'step-start'; readonly step: number; readonly agent: string }
  | { readonly type: 'text-delta'; readonly agent: string; readonly delta: string }
  | {
      readonly type: 'tool-call';
      readonly agent: string;
      readonly toolCallId: string;
      readonly toolName: string;
      readonly input: unknown;
    }
  | ({ readonly type: 'tool-result' } & ToolCallRecord)
  | { readonly type: 'handoff'; readonly from: string; readonly to: string; readonly reason: string }
  | ({ readonly type: 'approval-request'; readonly runId: string } & PendingApproval)
  | {
      readonly type: 'consent';
      readonly state: ConsentState;
      readonly agent: string;
      readonly toolName: string;
      readonly description?: string;
    }
  | {
      readonly type: 'escalation';
      readonly agent: string;
      readonly reason: string;
      readonly trigger: EscalationTrigger;
    }
  | { readonly type: 'turn-end'; readonly result: AgentRunResult };

/** Receives events; a throwing listener is the caller's bug and does not stop the run. */
export type AgentEventListener = (event: AgentEvent) => void;
