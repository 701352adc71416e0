/**
 * @module agents/errors
 * Errors of the agent runtime. Definitions that cannot work fail at construction (before any model
 * call); a run that cannot be resumed fails when asked. Tool failures are never thrown: they go back
 * to the model as the tool's result.
 */
import { type ErrorKind, GroundworkError } from '../errors.ts';

/** Stable codes of agent runtime errors. */
export type AgentErrorCode =
  | 'invalid_agent'
  | 'invalid_tool'
  | 'run_not_found'
  | 'run_not_paused'
  | 'unknown_tool_call'
  | 'unsupported_run_state';

/** What each code is, for the HTTP status at the edge. */
const AGENT_ERROR_KINDS: Readonly<Record<AgentErrorCode, ErrorKind>> = {
  invalid_agent: 'invalid',
  invalid_tool: 'invalid',
  run_not_found: 'not-found',
  // Approved, rejected or never paused.
  run_not_paused: 'conflict',
  unknown_tool_call: 'invalid',
  unsupported_run_state: 'invalid',
};

/** A misconfigured agent or tool, or a run that cannot be resumed as asked. */
export class AgentError extends GroundworkError {
  constructor(code: AgentErrorCode, message: string, details?: Record<string, unknown>) {
    super({ code, message, category: 'user', kind: AGENT_ERROR_KINDS[code], details });
    this.name = 'AgentError';
  }
}
