/**
 * @module agents/mcp/toolbox
 * Tools from operator-configured MCP servers, as agent tools named `<server>__<tool>` with the
 * server's JSON Schema as input. A tool's own error, a timeout, or a server that died comes back as a
 * tool result with `isError: true` and a reason the model can read, never as a crash; a dead server
 * is reconnected on the next call. `close` ends every connection (and stdio server) on shutdown.
 */
import type { JSONSchema7 } from '@ai-sdk/provider';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../../config/mcp-config.ts';
import { describeError } from '../../errors.ts';
import type { AgentTool } from '../../spec/agents.ts';
import { McpConnection } from './connection.ts';

/** What an MCP tool call returns to the agent. */
export interface McpToolResult {
  /** True when the tool reported an error, or the call could not be made. */
  readonly isError: boolean;
  /** The tool's text content (other content is described in brackets). */
  readonly text: string;
  readonly structuredContent?: unknown;
}

/** A server that could not be reached or listed when the tools were gathered. */
export interface McpProblem {
  readonly server: string;
  readonly message: string;
}

/** Provider tool names allow letters, digits, `_` and `-`, up to 64 characters. */
const TOOL_NAME_LIMIT = 64;

/** The MCP tools of all configured servers. */
export class McpToolbox {
  private readonly connections: McpConnection[];
  /** Servers that failed when `tools()` last ran; their tools are missing until it runs again. */
  problems: McpProblem[] = [];

  constructor(servers: readonly McpServerConfig[]) {
    this.connections = servers.map((server) => new McpConnection(server));
  }

  /**
   * Connects to every server and lists its tools; a server that fails is left out and recorded in
   * `problems`, so one broken server does not take the others' tools away.
   *
   * @example
   * const toolbox = new McpToolbox(config.mcpServers);
   * const tools = await toolbox.tools(); // e.g. crm__lookup_account
   */
  async tools(signal?: AbortSignal): Promise<AgentTool<Record<string, unknown>, McpToolResult>[]> {
    const problems: McpProblem[] = [];
    const lists = await Promise.all(
      this.connections.map(async (connection) => {
        try {
          const listed = await connection.listTools(signal);
          const allowed = connection.config.tools;
          return listed
            .filter((tool) => !allowed || allowed.includes(tool.name))
            .map((tool) => this.toAgentTool(connection, tool));
        } catch (error) {
          problems.push({ server: connection.config.name, message: explain(connection, error) });
          return [];
        }
      }),
    );
    this.problems = problems;
    return lists.flat();
  }

  /** Closes every connection; stdio servers are stopped. */
  async close(): Promise<void> {
    await Promise.all(this.connections.map((connection) => connection.close()));
  }

  private toAgentTool(
    connection: McpConnection,
    tool: Tool,
  ): AgentTool<Record<string, unknown>, McpToolResult> {
    const { name: server, requireApproval, timeoutMs } = connection.config;
    return {
      name: toolName(server, tool.name),
      description: tool.description ?? tool.title ?? `${tool.name} (from MCP server ${server})`,
      inputSchema: { jsonSchema: tool.inputSchema as JSONSchema7 },
      timeoutMs,
      needsApproval: Array.isArray(requireApproval) ? requireApproval.includes(tool.name) : requireApproval,
      async execute(input, context) {
        try {
          return toResult(await connection.callTool(tool.name, input ?? {}, context.signal));
        } catch (error) {
          return {
            isError: true,
            text: `The ${server} tool ${tool.name} failed: ${explain(connection, error)}`,
          };
        }
      },
    };
  }
}

/** `<server>__<tool>`, with characters providers refuse replaced by `_`. */
export function toolName(server: string, tool: string): string {
  return `${server}__${tool}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, TOOL_NAME_LIMIT);
}

function toResult(result: CallToolResult): McpToolResult {
  const text = result.content
    .map((part) =>
      part.type === 'text' ? part.text : `[${part.type}${'mimeType' in part ? ` ${part.mimeType}` : ''}]`,
    )
    .join('\n');
  return {
    isError: result.isError === true,
    text,
    ...(result.structuredContent !== undefined ? { structuredContent: result.structuredContent } : {}),
  };
}

function explain(connection: McpConnection, error: unknown): string {
  const stderr = connection.stderr;
  return stderr ? `${describeError(error)} (server said: ${stderr.slice(-300)})` : describeError(error);
}
