import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Escalation } from '../spec/agents.ts';
import { createScriptedLanguageModel, type ScriptedReply } from '../testing/scripted-language-model.ts';
import { defineAgent } from './define-agent.ts';
import { defineTool } from './define-tool.ts';
import { type AgentEvent, type AgentRunnerOptions, createAgentRunner } from './index.ts';

const turn = (content: string) => ({
  tenantId: 't1',
  conversationId: 'c1',
  messages: [{ role: 'user' as const, content }],
});

const calls: { name: string; input: unknown }[] = [];
const lookup = defineTool({
  name: 'lookup_order',
  description: 'An order by number.',
  inputSchema: z.object({ orderNumber: z.string() }),
  execute: async ({ orderNumber }) => {
    calls.push({ name: 'lookup_order', input: { orderNumber } });
    return { orderNumber, status: 'shipped' };
  },
});
const broken = defineTool({
  name: 'broken',
  description: 'Always fails.',
  inputSchema: z.object({}),
  execute: async () => {
    throw new Error('database is down');
  },
});
const hangs = defineTool({
  name: 'hangs',
  description: 'Never answers and ignores its signal.',
  inputSchema: z.object({}),
  timeoutMs: 50,
  execute: () => new Promise(() => {}),
});

const support = defineAgent({
  name: 'support',
  description: 'Orders and shipping.',
  instructions: 'You help with orders.',
  tools: [lookup, broken, hangs],
  handoffs: ['billing'],
});
const billing = defineAgent({
  name: 'billing',
  description: 'Refunds and invoices.',
  instructions: 'You help with billing.',
});

function setup(script: readonly ScriptedReply[], options: Partial<AgentRunnerOptions> = {}) {
  const model = createScriptedLanguageModel(script);
  const events: AgentEvent[] = [];
  const runner = createAgentRunner({ agents: [support, billing], model, ...options });
  const run = (content = 'Where is order 1042?') =>
    runner.run(turn(content), { onEvent: (e) => events.push(e) });
  return { model, events, runner, run };
}

/** The tool results the model saw in its last call. */
function toolResultsSeen(model: ReturnType<typeof createScriptedLanguageModel>, call = -1) {
  const prompt = model.calls.at(call)?.prompt ?? [];
  return prompt.flatMap((message) =>
    message.role === 'tool' ? message.content.filter((part) => part.type === 'tool-result') : [],
  );
}

describe('the agent runner', () => {
  it('runs a tool call round trip and reports it', async () => {
    calls.length = 0;
    const { model, events, run } = setup([
      {
        toolCalls: [{ toolName: 'lookup_order', input: { orderNumber: '1042' }, id: 'a' }],
        usage: { inputTokens: 10, outputTokens: 3 },
      },
      { text: 'Order 1042 has shipped.', usage: { inputTokens: 20, outputTokens: 5 } },
    ]);
    const result = await run();
    expect(result).toMatchObject({
      text: 'Order 1042 has shipped.',
      agent: 'support',
      mode: 'generative',
      steps: 2,
      stopReason: 'completed',
      usage: { inputTokens: 30, outputTokens: 8 },
    });
    expect(result.toolCalls).toEqual([
      expect.objectContaining({
        toolName: 'lookup_order',
        output: { orderNumber: '1042', status: 'shipped' },
      }),
    ]);
    expect(calls).toEqual([{ name: 'lookup_order', input: { orderNumber: '1042' } }]);
    expect(toolResultsSeen(model)).toEqual([
      expect.objectContaining({
        toolCallId: 'a',
        output: { type: 'json', value: { orderNumber: '1042', status: 'shipped' } },
      }),
    ]);
    // The model is offered the agent's tools, its handoffs and the escalation tool.
    expect(model.calls[0]?.tools?.map((tool) => tool.name)).toEqual([
      'lookup_order',
      'broken',
      'hangs',
      'transfer_to_billing',
      'escalate_to_human',
    ]);
    expect(model.calls[0]?.prompt[0]).toEqual({ role: 'system', content: 'You help with orders.' });
    expect(events.map((event) => event.type)).toEqual([
      'step-start',
      'tool-call',
      'tool-result',
      'step-start',
      'text-delta',
      'text-delta',
      'text-delta',
      'turn-end',
    ]);
    model.assertComplete();
  });

  it('runs the calls of one step in parallel and answers them in the model order', async () => {
    let running = 0;
    let peak = 0;
    const slow = (name: string) =>
      defineTool({
        name,
        description: name,
        inputSchema: z.object({ n: z.number() }),
        execute: async ({ n }) => {
          running += 1;
          peak = Math.max(peak, running);
          await new Promise((resolve) => setTimeout(resolve, 40 - n * 10));
          running -= 1;
          return `${name}:${n}`;
        },
      });
    const agent = defineAgent({
      name: 'solo',
      description: 'x',
      instructions: 'x',
      tools: [slow('first'), slow('second')],
    });
    const model = createScriptedLanguageModel([
      {
        toolCalls: [
          { toolName: 'first', input: { n: 0 }, id: 'c1' },
          { toolName: 'second', input: { n: 3 }, id: 'c2' },
        ],
      },
      { text: 'done' },
    ]);
    const result = await createAgentRunner({ agents: [agent], model }).run(turn('go'));
    expect(peak).toBe(2);
    expect(result.toolCalls.map((call) => call.output)).toEqual(['first:0', 'second:3']);
    expect(toolResultsSeen(model).map((part) => part.toolCallId)).toEqual(['c1', 'c2']);
  });

  it('gives a thrown error, a timeout, malformed arguments and an unknown tool back to the model', async () => {
    const { model, run } = setup([
      {
        toolCalls: [
          { toolName: 'broken', input: {}, id: 'e1' },
          { toolName: 'hangs', input: {}, id: 'e2' },
          { toolName: 'lookup_order', input: { orderNumber: 1042 }, id: 'e3' },
          { toolName: 'launch_rocket', input: {}, id: 'e4' },
        ],
      },
      (call) => ({ text: `saw ${call.prompt.length} messages` }),
    ]);
    const result = await run();
    expect(result.stopReason).toBe('completed');
    expect(result.toolCalls.map((call) => call.failure?.reason)).toEqual([
      'error',
      'timeout',
      'invalid-input',
      'unknown-tool',
    ]);
    const seen = toolResultsSeen(model);
    expect(seen.map((part) => part.output.type)).toEqual([
      'error-text',
      'error-text',
      'error-text',
      'error-text',
    ]);
    const texts = seen.map((part) => (part.output.type === 'error-text' ? part.output.value : ''));
    expect(texts[0]).toContain('database is down');
    expect(texts[1]).toContain('50 ms');
    expect(texts[2]).toContain('orderNumber');
    expect(texts[3]).toContain('There is no tool "launch_rocket"');
  });

  it('reports arguments that are not JSON as invalid input', async () => {
    // The scripted model always writes valid JSON, so this double sends the raw stream part itself.
    const broken = {
      ...createScriptedLanguageModel([{ text: 'fine' }]),
      async doStream() {
        return {
          stream: new ReadableStream({
            start(controller) {
              controller.enqueue({
                type: 'tool-call',
                toolCallId: 'x',
                toolName: 'lookup_order',
                input: '{"orderNumber": ',
              });
              controller.enqueue({
                type: 'finish',
                finishReason: { unified: 'tool-calls', raw: undefined },
                usage: {
                  inputTokens: { total: 1, noCache: 1, cacheRead: 0, cacheWrite: 0 },
                  outputTokens: { total: 1, text: 1, reasoning: 0 },
                },
              });
              controller.close();
            },
          }),
        };
      },
    };
    const result = await createAgentRunner({ agents: [support, billing], model: broken, maxSteps: 1 }).run(
      turn('x'),
    );
    expect(result.toolCalls[0]?.failure).toEqual({
      reason: 'invalid-input',
      message: 'The arguments were not valid JSON.',
    });
    expect(result.stopReason).toBe('max-steps');
  });

  it('stops at max steps', async () => {
    const again = (n: number) => ({
      toolCalls: [{ toolName: 'lookup_order', input: { orderNumber: String(n) } }],
    });
    const { model, run } = setup([again(1), again(2), again(3)], { maxSteps: 3 });
    const result = await run();
    expect(result).toMatchObject({ stopReason: 'max-steps', steps: 3 });
    expect(result.toolCalls).toHaveLength(3);
    model.assertComplete();
  });

  it('holds an agent with its own step cap to its own steps, however late it got the turn', async () => {
    const capped = defineAgent({
      name: 'billing',
      description: 'Refunds and invoices.',
      instructions: 'You help with billing.',
      tools: [lookup],
      maxSteps: 2,
    });
    const again = (n: number) => ({
      toolCalls: [{ toolName: 'lookup_order', input: { orderNumber: String(n) } }],
    });
    const model = createScriptedLanguageModel([
      again(1),
      again(2),
      { toolCalls: [{ toolName: 'transfer_to_billing', input: { reason: 'wants a refund' }, id: 'h' }] },
      // Billing takes over at step 4 and gets its two steps.
      again(3),
      again(4),
    ]);
    const result = await createAgentRunner({ agents: [support, capped], model, maxSteps: 10 }).run(turn('x'));
    expect(result).toMatchObject({ stopReason: 'max-steps', steps: 5, agent: 'billing' });
    model.assertComplete();
  });

  it('stops when the wall-clock budget runs out, even in a slow model call', async () => {
    const { run } = setup([{ text: 'too late', delayMs: 5_000 }], { budgetMs: 100 });
    const result = await run();
    expect(result.stopReason).toBe('budget-exceeded');
    expect(result.text).toBe('');
  });

  it('stops as aborted when the caller cancels', async () => {
    const { runner } = setup([{ text: 'too late', delayMs: 5_000 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const result = await runner.run(turn('x'), { signal: controller.signal });
    expect(result.stopReason).toBe('aborted');
  });

  it('detects a loop of the same call with the same arguments', async () => {
    calls.length = 0;
    const same = { toolCalls: [{ toolName: 'lookup_order', input: { orderNumber: '7' } }] };
    const { model, run } = setup([same, same, same], { loopThreshold: 3 });
    const result = await run();
    expect(result.stopReason).toBe('loop-detected');
    expect(calls).toHaveLength(2);
    expect(result.toolCalls.at(-1)?.failure?.reason).toBe('repeated');
    model.assertComplete();
  });

  it('hands off with the reason, and the next agent gets the conversation', async () => {
    const { model, events, run } = setup([
      { toolCalls: [{ toolName: 'transfer_to_billing', input: { reason: 'wants a refund' }, id: 'h' }] },
      { text: 'I can refund that.' },
    ]);
    const result = await run('I want my money back');
    expect(result).toMatchObject({ agent: 'billing', text: 'I can refund that.', stopReason: 'completed' });
    expect(events).toContainEqual({
      type: 'handoff',
      from: 'support',
      to: 'billing',
      reason: 'wants a refund',
    });
    const second = model.calls[1];
    expect(second?.prompt[0]).toEqual({
      role: 'system',
      content: 'You help with billing.\n\nThe conversation was handed to you because: wants a refund',
    });
    expect(second?.prompt[1]).toEqual({
      role: 'user',
      content: [{ type: 'text', text: 'I want my money back' }],
    });
    // Billing has no handoffs of its own: it sees only the escalation tool.
    expect(second?.tools?.map((tool) => tool.name)).toEqual(['escalate_to_human']);
  });

  it('starts at the pinned agent instead of triage', async () => {
    const { model, runner } = setup([{ text: 'billing here' }]);
    const result = await runner.run({ ...turn('hi'), agent: 'billing' });
    expect(result.agent).toBe('billing');
    expect(model.calls[0]?.prompt[0]).toEqual({ role: 'system', content: 'You help with billing.' });
  });

  it('refuses a transfer to an agent that is not a declared handoff', async () => {
    const { run } = setup([
      { toolCalls: [{ toolName: 'transfer_to_nowhere', input: { reason: 'x' } }] },
      { text: 'ok' },
    ]);
    const result = await run();
    expect(result.agent).toBe('support');
    expect(result.toolCalls[0]?.failure?.reason).toBe('unknown-tool');
  });

  it('escalates to a person and ends the turn', async () => {
    const escalations: Escalation[] = [];
    const { model, events, run } = setup(
      [
        {
          text: 'Let me get a colleague.',
          toolCalls: [
            {
              toolName: 'escalate_to_human',
              input: { reason: 'asked for a person', trigger: 'customer-request' },
            },
          ],
        },
      ],
      { escalations: { escalate: async (escalation) => void escalations.push(escalation) } },
    );
    const result = await run('I want to talk to a human');
    expect(result).toMatchObject({
      stopReason: 'escalated',
      mode: 'human',
      text: 'Let me get a colleague.',
      escalation: { reason: 'asked for a person', trigger: 'customer-request', delivered: true },
    });
    expect(escalations).toEqual([
      {
        tenantId: 't1',
        conversationId: 'c1',
        runId: result.runId,
        agent: 'support',
        reason: 'asked for a person',
        trigger: 'customer-request',
      },
    ]);
    expect(events).toContainEqual({
      type: 'escalation',
      agent: 'support',
      reason: 'asked for a person',
      trigger: 'customer-request',
    });
    model.assertComplete();
  });

  it('reports an escalation the inbox could not take, without failing the turn', async () => {
    const { run } = setup(
      [{ toolCalls: [{ toolName: 'escalate_to_human', input: { reason: 'x', trigger: 'low-confidence' } }] }],
      {
        escalations: {
          escalate: async () => {
            throw new Error('inbox offline');
          },
        },
      },
    );
    const result = await run();
    expect(result.escalation?.delivered).toBe(false);
    expect(result.error).toContain('inbox offline');
    expect(result.text).toContain('person on our team');
  });

  it('ends with model-error when the model fails', async () => {
    const { run } = setup([{ error: new Error('rate limited') }]);
    const result = await run();
    expect(result).toMatchObject({ stopReason: 'model-error', error: 'rate limited' });
  });

  it('streams events as an async iterable that ends with turn-end', async () => {
    const { runner } = setup([{ text: 'streamed answer' }]);
    const streamed = runner.stream(turn('x'));
    const types: string[] = [];
    for await (const event of streamed.events) types.push(event.type);
    expect(types[0]).toBe('step-start');
    expect(types.at(-1)).toBe('turn-end');
    expect((await streamed.result).text).toBe('streamed answer');
  });

  it('asks a person when an approval rule throws, instead of running the call', async () => {
    const risky = defineTool({
      name: 'risky',
      description: 'x',
      inputSchema: z.object({}),
      needsApproval: () => {
        throw new Error('rule bug');
      },
      execute: async () => 'ran',
    });
    const agent = defineAgent({ name: 'solo', description: 'x', instructions: 'x', tools: [risky] });
    const model = createScriptedLanguageModel([{ toolCalls: [{ toolName: 'risky', input: {} }] }]);
    const result = await createAgentRunner({ agents: [agent], model }).run(turn('go'));
    expect(result.stopReason).toBe('awaiting-approval');
    expect(result.pendingApprovals?.map((call) => call.toolName)).toEqual(['risky']);
  });
});
