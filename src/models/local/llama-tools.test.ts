import type { LanguageModelV3FunctionTool } from '@ai-sdk/provider';
import { describe, expect, it } from 'vitest';
import { toChatHistory } from './llama-prompt.ts';
import { grammarFriendly, offeredTools, parseToolReply, toolReplySchema } from './llama-tools.ts';

const search: LanguageModelV3FunctionTool = {
  type: 'function',
  name: 'search',
  description: 'Searches.',
  inputSchema: {
    $schema: 'http://json-schema.org/draft-07/schema#',
    type: 'object',
    properties: { q: { anyOf: [{ type: 'string' }, { type: 'null' }] } },
  },
};
const id = () => 'call-1';

describe('the local tool protocol', () => {
  it('maps a tool reply to a tool call and an answer to text', () => {
    expect(parseToolReply('{"tool":"search","arguments":{"q":"x"}}', [search], id)).toEqual({
      content: [{ type: 'tool-call', toolCallId: 'call-1', toolName: 'search', input: '{"q":"x"}' }],
      calledTool: true,
    });
    expect(parseToolReply('{"answer":"Hello"}', [search], id)).toEqual({
      content: [{ type: 'text', text: 'Hello' }],
      calledTool: false,
    });
    // A tool the model was not offered, or text that is not JSON, stays text.
    expect(parseToolReply('{"tool":"rm_rf","arguments":{}}', [search], id).calledTool).toBe(false);
    expect(parseToolReply('not json', [search], id).content).toEqual([{ type: 'text', text: 'not json' }]);
  });

  it('builds one branch per tool plus the answer, in the grammar compiler dialect', () => {
    const schema = toolReplySchema([search], true);
    expect(schema.oneOf).toHaveLength(2);
    expect(JSON.stringify(schema)).not.toContain('anyOf');
    expect(JSON.stringify(schema)).not.toContain('$schema');
    expect(toolReplySchema([search], false)).toMatchObject({ properties: { tool: { const: 'search' } } });
    expect(grammarFriendly({ anyOf: [{ type: 'string' }] })).toEqual({ oneOf: [{ type: 'string' }] });
  });

  it('honours toolChoice', () => {
    const other = { ...search, name: 'other' };
    const call = { prompt: [], tools: [search, other] };
    expect(offeredTools({ ...call, toolChoice: { type: 'none' } })).toEqual([]);
    expect(offeredTools({ ...call, toolChoice: { type: 'tool', toolName: 'other' } })).toEqual([other]);
    expect(offeredTools(call)).toHaveLength(2);
  });

  it('writes earlier tool calls and results into the chat history', () => {
    const { history, warnings } = toChatHistory([
      { role: 'user', content: [{ type: 'text', text: 'find x' }] },
      {
        role: 'assistant',
        content: [{ type: 'tool-call', toolCallId: 'c', toolName: 'search', input: { q: 'x' } }],
      },
      {
        role: 'tool',
        content: [
          {
            type: 'tool-result',
            toolCallId: 'c',
            toolName: 'search',
            output: { type: 'json', value: { hits: 1 } },
          },
        ],
      },
    ]);
    expect(history).toEqual([
      { type: 'user', text: 'find x' },
      { type: 'model', response: ['{"tool":"search","arguments":{"q":"x"}}'] },
      { type: 'user', text: 'Tool results:\nsearch: {"hits":1}' },
      { type: 'model', response: [] },
    ]);
    expect(warnings).toEqual([]);
  });
});
