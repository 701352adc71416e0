import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createAgentRunner, defineAgent, defineTool } from './index.ts';

describe('agent run spans', () => {
  it('emits agent.run, agent.step, gen_ai.chat, gen_ai.execute_tool and agent.handoff with GenAI attributes', async () => {
    const exporter = new InMemorySpanExporter();
    const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
    const lookup = defineTool({
      name: 'lookup_order',
      description: 'An order.',
      inputSchema: z.object({ orderNumber: z.string() }),
      execute: async ({ orderNumber }) => ({ orderNumber }),
    });
    const triage = defineAgent({ name: 'triage', description: 't', instructions: 't', handoffs: ['orders'] });
    const orders = defineAgent({ name: 'orders', description: 'o', instructions: 'o', tools: [lookup] });
    const model = createScriptedLanguageModel(
      [
        { toolCalls: [{ toolName: 'transfer_to_orders', input: { reason: 'order question' } }] },
        {
          toolCalls: [{ toolName: 'lookup_order', input: { orderNumber: '9' }, id: 'call-9' }],
          usage: { inputTokens: 40, outputTokens: 6 },
        },
        { text: 'Found it.' },
      ],
      { modelId: 'scripted-chat' },
    );
    const runner = createAgentRunner({ agents: [triage, orders], model, tracer: provider.getTracer('test') });
    await runner.run({
      tenantId: 't',
      conversationId: 'c',
      messages: [{ role: 'user', content: 'order 9?' }],
    });
    const spans = exporter.getFinishedSpans();
    const names = spans.map((span) => span.name);
    expect(names.filter((name) => name === 'agent.run')).toHaveLength(1);
    expect(names.filter((name) => name === 'agent.step')).toHaveLength(3);
    expect(names.filter((name) => name === 'gen_ai.chat')).toHaveLength(3);
    const chat = spans.filter((span) => span.name === 'gen_ai.chat')[1];
    expect(chat?.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.request.model': 'scripted-chat',
      'gen_ai.usage.input_tokens': 40,
      'gen_ai.usage.output_tokens': 6,
    });
    expect(spans.find((span) => span.name === 'gen_ai.execute_tool')?.attributes).toMatchObject({
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'lookup_order',
      'gen_ai.tool.call.id': 'call-9',
    });
    expect(spans.find((span) => span.name === 'agent.handoff')?.attributes).toMatchObject({
      'agent.handoff.from': 'triage',
      'agent.handoff.to': 'orders',
      'agent.handoff.reason': 'order question',
    });
    model.assertComplete();
    await provider.shutdown();
  });
});
