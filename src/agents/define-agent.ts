/**
 * @module agents/define-agent
 * `defineAgent` checks one agent on its own; `createAgentSet` checks the agents together (handoff
 * targets exist, names are unique) and builds the tool table the runner uses. Both throw before any
 * model call, so a misconfigured app fails at start-up.
 */
import type { AgentDefinition, AgentTool } from '../spec/agents.ts';
import { ESCALATE_DECLARATION, type ModelToolDeclaration, transferTool } from './built-in-tools.ts';
import { AgentError } from './errors.ts';
import { compileToolInput } from './tool-input.ts';

const AGENT_NAME_PATTERN = /^[a-z0-9_-]{1,40}$/;

/**
 * Declares an agent. Throws `AgentError` (`invalid_agent`) for a name that cannot become a
 * `transfer_to_<name>` tool, duplicate tool names, a handoff to itself or a non-positive `maxSteps`.
 *
 * @example
 * const billing = defineAgent({
 *   name: 'billing',
 *   description: 'Refunds, invoices and payment problems.',
 *   instructions: 'You help with billing. Verify the customer before reading orders.',
 *   tools: [lookupOrder, refundOrder],
 *   handoffs: ['triage'],
 * });
 */
export function defineAgent(agent: AgentDefinition): AgentDefinition {
  const fail = (message: string) => {
    throw new AgentError('invalid_agent', `Agent "${agent.name}": ${message}`, { agent: agent.name });
  };
  if (!AGENT_NAME_PATTERN.test(agent.name)) fail(`the name must match ${AGENT_NAME_PATTERN}.`);
  const seen = new Set<string>();
  for (const tool of agent.tools ?? []) {
    if (seen.has(tool.name)) fail(`two tools are named "${tool.name}".`);
    seen.add(tool.name);
  }
  if (agent.handoffs?.includes(agent.name)) fail('it cannot hand off to itself.');
  if (new Set(agent.handoffs).size !== (agent.handoffs?.length ?? 0)) fail('a handoff is listed twice.');
  if (agent.maxSteps !== undefined && !(agent.maxSteps >= 1)) fail('maxSteps must be at least 1.');
  return Object.freeze({ ...agent });
}

/** An agent with everything the runner needs to offer and run its tools. */
export interface ResolvedAgent {
  readonly definition: AgentDefinition;
  /** The agent's own tools by name. */
  readonly tools: ReadonlyMap<string, AgentTool>;
  /** Every tool the model sees: its own, the handoffs and the escalation. */
  readonly declarations: readonly ModelToolDeclaration[];
}

/** The agents of an app, checked together. */
export interface AgentSet {
  readonly triage: string;
  get(name: string): ResolvedAgent | undefined;
  names(): string[];
}

/** Checks the agents together; `triage` defaults to the first agent. */
export function createAgentSet(agents: readonly AgentDefinition[], triage?: string): AgentSet {
  const byName = new Map<string, AgentDefinition>();
  for (const agent of agents) {
    defineAgent(agent);
    if (byName.has(agent.name))
      throw new AgentError('invalid_agent', `Two agents are named "${agent.name}".`);
    byName.set(agent.name, agent);
  }
  const start = triage ?? agents[0]?.name;
  if (!start || !byName.has(start)) {
    throw new AgentError('invalid_agent', `The triage agent "${start ?? ''}" is not among the agents.`);
  }
  const resolved = new Map<string, ResolvedAgent>();
  for (const agent of agents) {
    const tools = new Map<string, AgentTool>();
    const declarations: ModelToolDeclaration[] = [];
    for (const tool of agent.tools ?? []) {
      tools.set(tool.name, tool);
      const { jsonSchema } = compileToolInput(tool.name, tool.inputSchema);
      declarations.push({ name: tool.name, description: tool.description, inputSchema: jsonSchema });
    }
    for (const target of agent.handoffs ?? []) {
      const targetAgent = byName.get(target);
      if (!targetAgent) {
        throw new AgentError(
          'invalid_agent',
          `Agent "${agent.name}" hands off to unknown agent "${target}".`,
          {
            agent: agent.name,
            target,
          },
        );
      }
      declarations.push(transferTool(targetAgent));
    }
    declarations.push(ESCALATE_DECLARATION);
    resolved.set(agent.name, { definition: agent, tools, declarations });
  }
  return { triage: start, get: (name) => resolved.get(name), names: () => [...resolved.keys()] };
}
