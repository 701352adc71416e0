import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createAgentRunner, defineAgent, defineTool, InProcessRunStore, parseRunState } from './index.ts';

/** Frozen: written by an earlier version of the runtime. Never regenerate it; add a new one. */
const FIXTURE = new URL('./__fixtures__/run-state-v1-paused.json', import.meta.url);

const refunded: unknown[] = [];
const refund = defineTool({
  name: 'refund_order',
  description: 'Refunds an order.',
  inputSchema: z.object({ orderNumber: z.string(), amount: z.number() }),
  needsApproval: true,
  execute: async (input, context) => {
    refunded.push({ ...input, customer: context.customer?.customerId });
    return { refunded: input.amount };
  },
});
const lookup = defineTool({
  name: 'lookup_order',
  description: 'An order.',
  inputSchema: z.object({ orderNumber: z.string() }),
  execute: async ({ orderNumber }) => ({ orderNumber, total: 80 }),
});
const triage = defineAgent({
  name: 'triage',
  description: 'Routes.',
  instructions: 'Route.',
  handoffs: ['billing'],
});
const billing = defineAgent({
  name: 'billing',
  description: 'Refunds.',
  instructions: 'Refund.',
  tools: [lookup, refund],
});

describe('stored run states', () => {
  it('loads the frozen v1 paused state and resumes it to completion', async () => {
    const stored = JSON.parse(await readFile(FIXTURE, 'utf8')) as unknown;
    const state = parseRunState(stored);
    expect(state).toMatchObject({
      agent: 'billing',
      step: 2,
      paused: { awaiting: [{ toolCallId: 'call-refund' }] },
    });
    const store = new InProcessRunStore();
    await store.save({
      id: state.runId,
      tenantId: 'acme',
      conversationId: 'conv-fixture',
      status: 'paused',
      state: stored,
    });
    const model = createScriptedLanguageModel([{ text: 'Refunded.' }]);
    const runner = createAgentRunner({ agents: [triage, billing], model, store });
    const result = await runner.approve(state.runId, { tenantId: 'acme', by: 'ops' });
    expect(result).toMatchObject({ stopReason: 'completed', text: 'Refunded.', agent: 'billing', steps: 3 });
    expect(refunded).toEqual([{ orderNumber: '1042', amount: 80, customer: 'cust-7' }]);
    // The handed-off agent keeps the reason it was given.
    expect(model.calls[0]?.prompt[0]).toEqual({
      role: 'system',
      content: 'Refund.\n\nThe conversation was handed to you because: refund request',
    });
    expect(result.toolCalls.map((call) => call.toolCallId)).toEqual([
      'call-handoff',
      'call-lookup',
      'call-refund',
    ]);
    model.assertComplete();
  });

  it('refuses a state of an unknown schema version or shape, naming the problem', () => {
    expect(() => parseRunState({ schemaVersion: 99 })).toThrow(
      expect.objectContaining({ code: 'unsupported_run_state' }),
    );
    expect(() => parseRunState({ schemaVersion: 1, runId: 'x' })).toThrow(/malformed/);
  });
});
