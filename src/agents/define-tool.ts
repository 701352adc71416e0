/**
 * @module agents/define-tool
 * `defineTool`: declares a tool and checks it at once, so a bad name or schema fails when the app
 * starts rather than in the middle of a customer's conversation.
 */
import type { AgentTool } from '../spec/agents.ts';
import { isBuiltInToolName } from './built-in-tools.ts';
import { AgentError } from './errors.ts';
import { compileToolInput } from './tool-input.ts';

/** Tool names every model provider accepts. */
export const TOOL_NAME_PATTERN = /^[a-zA-Z0-9_-]{1,64}$/;

/**
 * Declares a tool: a zod schema types `execute`'s input; a `{ jsonSchema }` (MCP tools) leaves it
 * `unknown`. Throws `AgentError` (`invalid_tool`) for a bad name, a reserved name, a schema that
 * cannot be compiled, a non-positive timeout, or `effect: 'write'` without `describeAction`.
 *
 * @example
 * const lookupOrder = defineTool({
 *   name: 'lookup_order',
 *   description: 'An order of the verified customer by its number.',
 *   inputSchema: z.object({ orderNumber: z.string() }),
 *   timeoutMs: 5_000,
 *   execute: ({ orderNumber }, context) => orders.find(context.tenantId, orderNumber),
 * });
 */
export function defineTool<Input, Output>(tool: AgentTool<Input, Output>): AgentTool<Input, Output> {
  if (!TOOL_NAME_PATTERN.test(tool.name)) {
    throw new AgentError('invalid_tool', `Tool name "${tool.name}" must match ${TOOL_NAME_PATTERN}.`);
  }
  if (isBuiltInToolName(tool.name)) {
    throw new AgentError('invalid_tool', `Tool name "${tool.name}" is reserved for the runtime.`);
  }
  if (tool.timeoutMs !== undefined && !(tool.timeoutMs > 0)) {
    throw new AgentError('invalid_tool', `Tool "${tool.name}" needs a positive timeoutMs.`);
  }
  if (tool.effect === 'write' && typeof tool.describeAction !== 'function') {
    // The customer must be told the exact action before it runs; a write tool that cannot say it
    // could never run.
    throw new AgentError('invalid_tool', `Tool "${tool.name}" has effect "write" but no describeAction.`);
  }
  compileToolInput(tool.name, tool.inputSchema as AgentTool['inputSchema']);
  return Object.freeze({ ...tool });
}
