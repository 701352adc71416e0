/**
 * @module agents/built-in-tools
 * The tools the runtime adds to agents: `transfer_to_<agent>` for each handoff target, and
 * `escalate_to_human`. The runner handles them itself (they switch agents or end the turn); they are
 * plain tool declarations here so the model sees them like any other tool.
 */
import type { JSONSchema7 } from '@ai-sdk/provider';
import type { AgentDefinition, EscalationTrigger } from '../spec/agents.ts';

/** The prefix of handoff tools. */
export const TRANSFER_PREFIX = 'transfer_to_';
/** The escalation tool's name. */
export const ESCALATE_TOOL = 'escalate_to_human';

const TRIGGERS: readonly EscalationTrigger[] = [
  'customer-request',
  'repeated-failure',
  'sensitive-request',
  'low-confidence',
  'agent-decision',
];

/** A tool as the model sees it. */
export interface ModelToolDeclaration {
  readonly name: string;
  readonly description: string;
  readonly inputSchema: JSONSchema7;
}

/** True for names the runtime owns. */
export function isBuiltInToolName(name: string): boolean {
  return name.startsWith(TRANSFER_PREFIX) || name === ESCALATE_TOOL;
}

/** The handoff tool for one target agent. */
export function transferTool(target: AgentDefinition): ModelToolDeclaration {
  return {
    name: `${TRANSFER_PREFIX}${target.name}`,
    description: `Hand the conversation to the ${target.name} agent: ${target.description}`,
    inputSchema: {
      type: 'object',
      properties: { reason: { type: 'string', description: 'Why this agent should take over.' } },
      required: ['reason'],
      additionalProperties: false,
    },
  };
}

/** The escalation tool. */
export const ESCALATE_DECLARATION: ModelToolDeclaration = {
  name: ESCALATE_TOOL,
  description:
    'Hand the conversation to a human operator: when the customer asks for a person, the request is sensitive, or you cannot help.',
  inputSchema: {
    type: 'object',
    properties: {
      reason: { type: 'string', description: 'What the operator needs to know.' },
      trigger: { type: 'string', enum: [...TRIGGERS] },
    },
    required: ['reason', 'trigger'],
    additionalProperties: false,
  },
};

/** Reads the escalation arguments, defaulting what a weak model left out. */
export function escalationArguments(input: unknown): { reason: string; trigger: EscalationTrigger } {
  const record = (typeof input === 'object' && input !== null ? input : {}) as Record<string, unknown>;
  const trigger = TRIGGERS.find((candidate) => candidate === record.trigger) ?? 'agent-decision';
  const reason = typeof record.reason === 'string' && record.reason ? record.reason : 'No reason given.';
  return { reason, trigger };
}

/** Reads the handoff reason. */
export function transferReason(input: unknown): string {
  const reason = (input as { reason?: unknown } | null)?.reason;
  return typeof reason === 'string' && reason ? reason : 'No reason given.';
}
