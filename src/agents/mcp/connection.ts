/**
 * @module agents/mcp/connection
 * One MCP server: connects on first use, notices when the server goes away (the process exits, the
 * HTTP endpoint stops answering) and connects again on the next call. Failures are returned to the
 * caller as values or thrown to the toolbox, which turns them into tool error results.
 */
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { getDefaultEnvironment, StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import type { CallToolResult, Tool } from '@modelcontextprotocol/sdk/types.js';
import type { McpServerConfig } from '../../config/mcp-config.ts';

/** How groundwork introduces itself to MCP servers. */
const CLIENT_INFO = { name: 'groundwork', version: '0.1.0' };
/** The last stderr characters of a stdio server, kept to explain why it died. */
const STDERR_TAIL = 2000;

/** A connection to one configured server. */
export class McpConnection {
  private client: Client | undefined;
  private connecting: Promise<Client> | undefined;
  private stderrTail = '';
  private closed = false;

  constructor(readonly config: McpServerConfig) {}

  /** The server's tools. */
  async listTools(signal?: AbortSignal): Promise<Tool[]> {
    const client = await this.connect();
    const tools: Tool[] = [];
    let cursor: string | undefined;
    do {
      const page = await this.guard(client, () =>
        client.listTools(cursor ? { cursor } : {}, { signal, timeout: this.config.timeoutMs }),
      );
      tools.push(...page.tools);
      cursor = page.nextCursor;
    } while (cursor);
    return tools;
  }

  /** Calls a tool; a dead connection is dropped so the next call reconnects. */
  async callTool(
    name: string,
    input: Record<string, unknown>,
    signal?: AbortSignal,
  ): Promise<CallToolResult> {
    const client = await this.connect();
    return (await this.guard(client, () =>
      client.callTool({ name, arguments: input }, undefined, { signal, timeout: this.config.timeoutMs }),
    )) as CallToolResult;
  }

  /** What the server last wrote to stderr (stdio servers), for error messages. */
  get stderr(): string {
    return this.stderrTail.trim();
  }

  /** Closes the connection (and stops a stdio server); later calls fail. */
  async close(): Promise<void> {
    this.closed = true;
    const client = this.client;
    this.client = undefined;
    await client?.close().catch(() => {});
  }

  private async connect(): Promise<Client> {
    if (this.closed) throw new Error(`The connection to MCP server ${this.config.name} is closed.`);
    if (this.client) return this.client;
    this.connecting ??= this.open().finally(() => {
      this.connecting = undefined;
    });
    return this.connecting;
  }

  private async open(): Promise<Client> {
    const client = new Client(CLIENT_INFO);
    client.onclose = () => {
      if (this.client === client) this.client = undefined;
    };
    // Errors also reach the pending request, which reports them; this only keeps them off stderr.
    client.onerror = () => {};
    try {
      await client.connect(this.transport(), { timeout: this.config.timeoutMs });
    } catch (error) {
      await client.close().catch(() => {});
      throw error;
    }
    this.client = client;
    return client;
  }

  /** Runs a request; when it fails, a connection that is gone is dropped (HTTP has no close event). */
  private async guard<T>(client: Client, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (this.config.transport === 'http' || !client.transport) {
        if (this.client === client) this.client = undefined;
        await client.close().catch(() => {});
      }
      throw error;
    }
  }

  private transport(): Transport {
    const config = this.config;
    if (config.transport === 'http') {
      return new StreamableHTTPClientTransport(new URL(config.url), {
        requestInit: config.headers ? { headers: config.headers } : undefined,
      });
    }
    const transport = new StdioClientTransport({
      command: config.command,
      args: config.args,
      env: { ...getDefaultEnvironment(), ...config.env },
      cwd: config.cwd,
      stderr: 'pipe',
    });
    transport.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-STDERR_TAIL);
    });
    return transport;
  }
}
