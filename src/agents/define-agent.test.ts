import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createAgentSet, defineAgent } from './define-agent.ts';
import { defineTool } from './define-tool.ts';
import { callKey } from './runner/loop-guard.ts';
import { createAgentRunner } from './runner.ts';

const echo = defineTool({
  name: 'echo',
  description: 'Echoes.',
  inputSchema: z.object({ text: z.string() }),
  execute: async ({ text }) => text,
});

const agent = (name: string, extra: object = {}) =>
  ({ name, description: name, instructions: name, ...extra }) as Parameters<typeof defineAgent>[0];

describe('defineTool', () => {
  it('rejects bad and reserved names and a non-positive timeout', () => {
    const base = { description: 'x', inputSchema: z.object({}), execute: async () => 1 };
    expect(() => defineTool({ ...base, name: 'has space' })).toThrow(/must match/);
    expect(() => defineTool({ ...base, name: 'transfer_to_billing' })).toThrow(/reserved/);
    expect(() => defineTool({ ...base, name: 'escalate_to_human' })).toThrow(/reserved/);
    expect(() => defineTool({ ...base, name: 'slow', timeoutMs: 0 })).toThrow(/positive timeoutMs/);
  });

  it('accepts a JSON schema (MCP tools) and validates against it', async () => {
    const mcp = defineTool({
      name: 'mcp_search',
      description: 'Search.',
      inputSchema: { jsonSchema: { type: 'object', properties: { q: { type: 'string' } }, required: ['q'] } },
      execute: async (input) => input,
    });
    const model = createScriptedLanguageModel([
      {
        toolCalls: [
          { toolName: 'mcp_search', input: { q: 1 } },
          { toolName: 'mcp_search', input: { q: 'ok' } },
        ],
      },
      { text: 'done' },
    ]);
    const runner = createAgentRunner({ agents: [defineAgent(agent('solo', { tools: [mcp] }))], model });
    const result = await runner.run({
      tenantId: 't',
      conversationId: 'c',
      messages: [{ role: 'user', content: 'x' }],
    });
    expect(result.toolCalls.map((call) => call.failure?.reason ?? call.output)).toEqual([
      'invalid-input',
      { q: 'ok' },
    ]);
    expect(model.calls[0]?.tools?.[0]).toMatchObject({
      name: 'mcp_search',
      inputSchema: { required: ['q'] },
    });
    model.assertComplete();
  });
});

describe('defineAgent and createAgentSet', () => {
  it('rejects duplicate tool names, a handoff to itself and a bad name', () => {
    expect(() => defineAgent(agent('a', { tools: [echo, echo] }))).toThrow(/two tools are named "echo"/);
    expect(() => defineAgent(agent('a', { handoffs: ['a'] }))).toThrow(/itself/);
    expect(() => defineAgent(agent('Bad Name'))).toThrow(/must match/);
  });

  it('rejects an unknown handoff target, duplicate agents and an unknown triage agent', () => {
    expect(() => createAgentSet([agent('a', { handoffs: ['ghost'] })])).toThrow(/unknown agent "ghost"/);
    expect(() => createAgentSet([agent('a'), agent('a')])).toThrow(/Two agents/);
    expect(() => createAgentSet([agent('a')], 'b')).toThrow(/triage agent "b"/);
  });

  it('fails in createAgentRunner before any model call', () => {
    const model = createScriptedLanguageModel([]);
    expect(() => createAgentRunner({ agents: [agent('a', { handoffs: ['ghost'] })], model })).toThrow(
      expect.objectContaining({ code: 'invalid_agent' }),
    );
    expect(model.calls).toHaveLength(0);
    model.assertComplete();
  });
});

describe('loop keys', () => {
  it('ignore the order of object keys', () => {
    expect(callKey('t', { a: 1, b: { c: [1, 2], d: 'x' } })).toBe(
      callKey('t', { b: { d: 'x', c: [1, 2] }, a: 1 }),
    );
    expect(callKey('t', { a: 1 })).not.toBe(callKey('t', { a: 2 }));
  });
});
