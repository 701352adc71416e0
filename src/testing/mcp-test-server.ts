/**
 * @module testing/mcp-test-server
 * A tiny MCP server for tests, built with the SDK's server classes: `add`, `echo`, `fail` (answers
 * with an MCP tool error) and `exit` (the process dies mid-call, to test a dead server). Run this file
 * to serve it over stdio; `startHttpMcpServer` serves it over streamable HTTP on a local port.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { McpServer } from '@modelcontextprotocol/sdk/server/mcp.js';
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import { StreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/streamableHttp.js';
import { z } from 'zod';

/** The test server with its tools; `label` shows up in `echo` so tests can tell servers apart. */
export function createTestMcpServer(label: string): McpServer {
  const server = new McpServer({ name: `groundwork-test-${label}`, version: '1.0.0' });
  server.registerTool(
    'add',
    { description: 'Adds two numbers.', inputSchema: { a: z.number(), b: z.number() } },
    async ({ a, b }) => ({ content: [{ type: 'text', text: String(a + b) }] }),
  );
  server.registerTool(
    'echo',
    { description: 'Says the text back.', inputSchema: { text: z.string() } },
    async ({ text }) => ({ content: [{ type: 'text', text: `${label}: ${text}` }] }),
  );
  server.registerTool('fail', { description: 'Always fails.' }, async () => ({
    isError: true,
    content: [{ type: 'text', text: 'The warehouse system is down.' }],
  }));
  server.registerTool('exit', { description: 'Ends the server process.' }, async () => {
    process.exit(3);
  });
  return server;
}

/** A streamable HTTP MCP server on localhost; `close` stops it (as a crash would, for the client). */
export interface RunningHttpMcpServer {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

/** Serves the test server statelessly (a fresh server per request) on `port` (0: any free port). */
export async function startHttpMcpServer(label: string, port = 0): Promise<RunningHttpMcpServer> {
  const http: Server = createServer(async (request, response) => {
    const server = createTestMcpServer(label);
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    response.on('close', () => {
      void transport.close();
      void server.close();
    });
    try {
      await server.connect(transport);
      await transport.handleRequest(request, response);
    } catch {
      if (!response.headersSent) response.writeHead(500).end();
    }
  });
  await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
  const bound = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${bound}/mcp`,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        http.closeAllConnections();
        http.close(() => resolve());
      }),
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await createTestMcpServer(process.argv[2] ?? 'stdio').connect(new StdioServerTransport());
}
