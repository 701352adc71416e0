import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../config/config.ts';
import type { McpServerConfig } from '../../config/mcp-config.ts';
import type { AgentTool, ToolContext } from '../../spec/agents.ts';
import { type RunningHttpMcpServer, startHttpMcpServer } from '../../testing/mcp-test-server.ts';
import { McpToolbox, type McpToolResult, toolName } from './toolbox.ts';

const SERVER = fileURLToPath(new URL('../../testing/mcp-test-server.ts', import.meta.url));
// Each stdio server compiles its TypeScript with tsx; on a busy two-core machine that takes a while.
const TIMEOUT_MS = 120_000;

const context: ToolContext = {
  tenantId: 'acme',
  conversationId: 'c-1',
  runId: 'r-1',
  signal: new AbortController().signal,
};

function stdio(name: string, extra: Partial<McpServerConfig> = {}): McpServerConfig {
  return {
    name,
    transport: 'stdio',
    command: process.execPath,
    args: ['--import', 'tsx', SERVER, name],
    timeoutMs: 60_000,
    requireApproval: false,
    ...extra,
  } as McpServerConfig;
}

describe('MCP toolbox', () => {
  let http: RunningHttpMcpServer;
  let toolbox: McpToolbox;
  let tools: Map<string, AgentTool<Record<string, unknown>, McpToolResult>>;
  const call = (name: string, input: Record<string, unknown> = {}) =>
    tools.get(name)!.execute(input, context);

  beforeAll(async () => {
    http = await startHttpMcpServer('web');
    toolbox = new McpToolbox([
      stdio('local', { requireApproval: ['exit'] }),
      {
        name: 'web',
        transport: 'http',
        url: http.url,
        timeoutMs: 10_000,
        requireApproval: false,
        tools: ['echo'],
      },
      { ...stdio('broken'), command: '/nonexistent/mcp-server', args: [] } as McpServerConfig,
    ]);
    tools = new Map((await toolbox.tools()).map((tool) => [tool.name, tool]));
  }, TIMEOUT_MS);
  afterAll(async () => {
    await toolbox?.close();
    await http?.close();
  });

  it('lists every reachable server’s tools, namespaced, with their JSON Schema', () => {
    expect([...tools.keys()].sort()).toEqual([
      'local__add',
      'local__echo',
      'local__exit',
      'local__fail',
      'web__echo',
    ]);
    expect(tools.get('local__add')!.inputSchema).toMatchObject({
      jsonSchema: { type: 'object', properties: { a: { type: 'number' }, b: { type: 'number' } } },
    });
    expect(tools.get('local__exit')!.needsApproval).toBe(true);
    expect(tools.get('local__add')!.needsApproval).toBe(false);
    expect(toolbox.problems.map((problem) => problem.server)).toEqual(['broken']);
    expect(toolName('crm', 'find account.v2')).toBe('crm__find_account_v2');
  });

  it('calls tools over stdio and HTTP; a tool’s own error is an error result', async () => {
    expect(await call('local__add', { a: 2, b: 3 })).toEqual({ isError: false, text: '5' });
    expect(await call('web__echo', { text: 'hi' })).toEqual({ isError: false, text: 'web: hi' });
    const failed = await call('local__fail');
    expect(failed).toMatchObject({ isError: true, text: 'The warehouse system is down.' });
    const invalid = await call('local__add', { a: 'two' });
    expect(invalid.isError).toBe(true);
  });

  it(
    'reports a stdio server that dies mid-call, and reconnects on the next call',
    async () => {
      const died = await call('local__exit');
      expect(died.isError).toBe(true);
      expect(died.text).toMatch(/local tool exit failed/);
      expect(await call('local__echo', { text: 'again' })).toEqual({ isError: false, text: 'local: again' });
    },
    TIMEOUT_MS,
  );

  it('reports an HTTP server that went away, and reconnects once it is back', async () => {
    const port = http.port;
    await http.close();
    const down = await call('web__echo', { text: 'anyone?' });
    expect(down.isError).toBe(true);
    expect(down.text).toMatch(/web tool echo failed/);
    http = await startHttpMcpServer('web', port);
    expect(await call('web__echo', { text: 'back' })).toEqual({ isError: false, text: 'web: back' });
  });

  it(
    'fails calls after close instead of starting servers again',
    async () => {
      const closing = new McpToolbox([stdio('short', { tools: ['echo'] })]);
      const [echo] = await closing.tools();
      expect(await echo!.execute({ text: 'x' }, context)).toEqual({ isError: false, text: 'short: x' });
      await closing.close();
      expect((await echo!.execute({ text: 'x' }, context)).isError).toBe(true);
    },
    TIMEOUT_MS,
  );
});

describe('mcpServers config', () => {
  const load = (mcpServers: unknown) => loadConfig({ mcpServers: mcpServers as never }, {}, '/nonexistent');

  it('accepts stdio and HTTP servers with defaults', () => {
    const config = load([
      { name: 'crm', transport: 'stdio', command: 'crm-mcp' },
      { name: 'docs', transport: 'http', url: 'https://mcp.example.com/mcp' },
    ]);
    expect(config.mcpServers[0]).toMatchObject({ args: [], timeoutMs: 30_000, requireApproval: false });
    expect(load(undefined).mcpServers).toEqual([]);
  });

  it('refuses bad entries with messages that say what to fix', () => {
    const cases: [unknown, RegExp][] = [
      [[{ name: 'a b', transport: 'stdio', command: 'x' }], /mcpServers\.0\.name: use 1–32 letters/],
      [[{ name: 'a__b', transport: 'stdio', command: 'x' }], /must not contain "__"/],
      [[{ name: 'a', transport: 'stdio', command: '' }], /mcpServers\.0\.command: name the command/],
      [[{ name: 'a', transport: 'http', url: 'ftp://x' }], /mcpServers\.0\.url/],
      [[{ name: 'a', transport: 'carrier-pigeon' }], /mcpServers\.0\.transport/],
      [
        [
          { name: 'a', transport: 'stdio', command: 'x' },
          { name: 'a', transport: 'http', url: 'http://localhost/mcp' },
        ],
        /mcpServers\.1\.name: MCP server name "a" is used twice/,
      ],
    ];
    for (const [servers, message] of cases) expect(() => load(servers)).toThrow(message);
    expect(() => loadConfig({}, { GROUNDWORK_MCP_SERVERS: '[{' }, '/nonexistent')).toThrow(
      /GROUNDWORK_MCP_SERVERS must be JSON/,
    );
  });
});
