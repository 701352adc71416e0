/**
 * @module agents
 * The agent runtime: declare agents and tools, run conversation turns through them with handoffs,
 * escalation, approvals and limits. Apps import from here; ports are in src/spec/agents.ts.
 */
export { ESCALATE_TOOL, TRANSFER_PREFIX } from './built-in-tools.ts';
export { type ConfirmationAnswer, confirmationAnswer } from './consent/confirmation.ts';
export { confirmationQuestion } from './consent/messages.ts';
export { type RequestForm, requestForm } from './consent/request-form.ts';
export { CONSENT_SPAN, CONSENT_STATE_ATTRIBUTE, recordConsentSpan } from './consent/trace.ts';
export { createAgentSet, defineAgent } from './define-agent.ts';
export { defineTool } from './define-tool.ts';
export { AgentError, type AgentErrorCode } from './errors.ts';
export { InProcessPendingActionStore } from './in-process-pending-actions.ts';
export { InProcessRunStore } from './in-process-run-store.ts';
export type {
  AgentEvent,
  AgentEventListener,
  AgentRunResult,
  AgentUsage,
  ConsentState,
  PendingApproval,
  StopReason,
  ToolCallRecord,
  ToolFailureReason,
} from './runner/events.ts';
export type { ModelSettings } from './runner/model-step.ts';
export {
  parseRunState,
  RUN_STATE_SCHEMA_VERSION,
  type RunState,
  serializeRunState,
} from './runner/run-state.ts';
export {
  type AgentMessage,
  type AgentRunner,
  type AgentRunnerOptions,
  type AgentTurn,
  createAgentRunner,
  type RunOptions,
  type StreamedRun,
} from './runner.ts';
