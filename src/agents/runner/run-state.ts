/**
 * @module agents/runner/run-state
 * A run's whole state as plain JSON, so a run paused for approval can be stored and resumed by another
 * process. `schemaVersion` says how to read it; stored states of older versions must keep loading
 * (src/agents/__fixtures__ holds frozen ones).
 */
import type { LanguageModelV3Message } from '@ai-sdk/provider';
import { z } from 'zod';
import type { VerifiedCustomer } from '../../spec/agents.ts';
import { AgentError } from '../errors.ts';
import type { AgentUsage, PendingApproval, ToolCallRecord } from './events.ts';

/** The version this code writes. */
export const RUN_STATE_SCHEMA_VERSION = 1;

/** A step paused for approvals: its calls that ran, and those that wait. */
export interface PausedStep {
  readonly completed: readonly ToolCallRecord[];
  readonly awaiting: readonly PendingApproval[];
}

/** The serialisable state of a run. */
export interface RunState {
  readonly schemaVersion: typeof RUN_STATE_SCHEMA_VERSION;
  readonly runId: string;
  readonly tenantId: string;
  readonly conversationId: string;
  readonly customer?: VerifiedCustomer;
  /** The current agent. */
  agent: string;
  /** The conversation without system messages (each agent brings its own instructions). */
  messages: LanguageModelV3Message[];
  step: number;
  /**
   * Steps each agent has taken this turn, for agents with their own `maxSteps` (absent in states
   * stored before it was kept: counted from the resume on).
   */
  agentSteps?: Record<string, number>;
  usage: AgentUsage;
  toolCalls: ToolCallRecord[];
  /** How often each tool-and-arguments key was called this turn (loop detection). */
  callCounts: Record<string, number>;
  /** Handoff reasons per agent, told to the agent that receives the conversation. */
  handoffReasons: Record<string, string>;
  paused?: PausedStep;
  /**
   * The customer's message did not confirm the action proposed last turn: no state-changing action is
   * proposed again in this turn (a "no" must not be met with the same question).
   */
  consentDeclined?: boolean;
}

const record = z.object({
  toolCallId: z.string(),
  toolName: z.string(),
  agent: z.string(),
  input: z.unknown(),
  output: z.unknown().optional(),
  failure: z.object({ reason: z.string(), message: z.string() }).optional(),
});

const stateSchema = z.looseObject({
  schemaVersion: z.literal(1),
  runId: z.string(),
  tenantId: z.string(),
  conversationId: z.string(),
  customer: z.looseObject({ customerId: z.string(), verifiedBy: z.string() }).optional(),
  agent: z.string(),
  messages: z.array(z.looseObject({ role: z.enum(['system', 'user', 'assistant', 'tool']) })),
  step: z.number().int().nonnegative(),
  agentSteps: z.record(z.string(), z.number().int().nonnegative()).optional(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  toolCalls: z.array(record),
  callCounts: z.record(z.string(), z.number()),
  handoffReasons: z.record(z.string(), z.string()),
  paused: z
    .object({
      completed: z.array(record),
      awaiting: z.array(
        z.object({ toolCallId: z.string(), toolName: z.string(), input: z.unknown(), agent: z.string() }),
      ),
    })
    .optional(),
});

/** The state as JSON-safe data (a deep copy, so later changes to the run do not leak into it). */
export function serializeRunState(state: RunState): unknown {
  return JSON.parse(JSON.stringify(state)) as unknown;
}

/** Reads a stored state, or throws `unsupported_run_state` saying what is wrong. */
export function parseRunState(value: unknown): RunState {
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (version !== RUN_STATE_SCHEMA_VERSION) {
    throw new AgentError(
      'unsupported_run_state',
      `Run state schemaVersion ${String(version)} is not supported.`,
    );
  }
  const parsed = stateSchema.safeParse(value);
  if (!parsed.success) {
    throw new AgentError(
      'unsupported_run_state',
      `The stored run state is malformed: ${z.prettifyError(parsed.error)}`,
    );
  }
  return parsed.data as unknown as RunState;
}
