/**
 * @module config/mcp-config
 * The `mcpServers` section: MCP servers an operator connects the agents to, each over stdio (a
 * command the server starts) or streamable HTTP (a URL). A server's `name` prefixes its tools
 * (`<name>__<tool>`), so names are unique and cannot contain `__`.
 */
import { z } from 'zod';

const serverName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,32}$/, 'use 1–32 letters, digits, _ or - (it prefixes the tool names)')
  .refine((name) => !name.includes('__'), 'must not contain "__" (it separates server and tool names)');

const common = {
  name: serverName,
  /** Milliseconds a tool call may take before it is reported to the model as timed out. */
  timeoutMs: z.number().int().min(100).max(600_000).default(30_000),
  /** Only these tools of the server (all when absent). */
  tools: z.array(z.string().min(1)).optional(),
  /** `true`: every tool of the server needs a person's approval; a list: only those tools. */
  requireApproval: z.union([z.boolean(), z.array(z.string().min(1))]).default(false),
};

const stdioServer = z
  .object({
    ...common,
    transport: z.literal('stdio'),
    command: z.string().min(1, 'name the command that starts the server'),
    args: z.array(z.string()).default([]),
    /** Extra environment variables for the server process (its secrets, e.g. an API token). */
    env: z.record(z.string(), z.string()).optional(),
    cwd: z.string().min(1).optional(),
  })
  .strict();

const httpServer = z
  .object({
    ...common,
    transport: z.literal('http'),
    url: z.url({ protocol: /^https?$/, error: 'give the server’s http(s) URL' }),
    /** Sent with every request (e.g. `Authorization`). */
    headers: z.record(z.string(), z.string()).optional(),
  })
  .strict();

/** The list, validated; duplicate names are refused with the name in the message. */
export const mcpServersSchema = z
  .array(z.discriminatedUnion('transport', [stdioServer, httpServer]))
  .superRefine((servers, context) => {
    const seen = new Set<string>();
    servers.forEach((server, index) => {
      if (seen.has(server.name)) {
        context.addIssue({
          code: 'custom',
          path: [index, 'name'],
          message: `MCP server name "${server.name}" is used twice; names must be unique`,
        });
      }
      seen.add(server.name);
    });
  });

/** One configured MCP server. */
export type McpServerConfig = z.infer<typeof mcpServersSchema>[number];
