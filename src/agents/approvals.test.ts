import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PostgresAgentRunStore } from '../store/agent-runs.ts';
import type { Database } from '../store/database.ts';
import { ensureTenant } from '../store/documents.ts';
import { openDatabase } from '../store/open.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel, type ScriptedReply } from '../testing/scripted-language-model.ts';
import { type AgentEvent, createAgentRunner, defineAgent, defineTool } from './index.ts';

const refunds: string[] = [];
const refund = defineTool({
  name: 'refund_order',
  description: 'Refunds an order.',
  inputSchema: z.object({ orderNumber: z.string(), amount: z.number() }),
  // Small refunds go through; larger ones wait for a person. Async, as a rule that reads stored data is.
  needsApproval: async ({ amount }) => {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return amount > 50;
  },
  execute: async ({ orderNumber, amount }, context) => {
    refunds.push(`${context.tenantId}:${orderNumber}:${amount}:${context.customer?.customerId}`);
    return { refunded: amount };
  },
});
const lookup = defineTool({
  name: 'lookup_order',
  description: 'An order.',
  inputSchema: z.object({ orderNumber: z.string() }),
  execute: async ({ orderNumber }) => ({ orderNumber, total: 80 }),
});
const billing = defineAgent({
  name: 'billing',
  description: 'Refunds.',
  instructions: 'You refund orders.',
  tools: [lookup, refund],
});

const pausingScript: ScriptedReply[] = [
  {
    toolCalls: [
      { toolName: 'lookup_order', input: { orderNumber: '1042' }, id: 'look' },
      { toolName: 'refund_order', input: { orderNumber: '1042', amount: 80 }, id: 'pay' },
    ],
    usage: { inputTokens: 11, outputTokens: 4 },
  },
];
const turn = {
  tenantId: 'acme',
  conversationId: 'conv-1',
  customer: { customerId: 'cust-7', verifiedBy: 'session' as const },
  messages: [{ role: 'user' as const, content: 'Refund order 1042 please' }],
};

function runnerOver(db: Database, script: readonly ScriptedReply[]) {
  const model = createScriptedLanguageModel(script);
  const runner = createAgentRunner({ agents: [billing], model, store: new PostgresAgentRunStore(db) });
  return { model, runner };
}

async function statusOf(db: Database, runId: string) {
  const { rows } = await db.query<{ status: string }>('SELECT status FROM agent_runs WHERE id = $1', [runId]);
  return rows[0]?.status;
}

describe('approvals survive a restart (PGlite data directory)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'groundwork-agent-runs-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('pauses, persists, and completes in a new instance after approval', async () => {
    refunds.length = 0;
    const first = await openDatabase({ dataDir: dir });
    await ensureTenant(first, 'acme');
    const before = runnerOver(first, pausingScript);
    const events: AgentEvent[] = [];
    const paused = await before.runner.run(turn, { onEvent: (event) => events.push(event) });
    expect(paused.stopReason).toBe('awaiting-approval');
    expect(paused.pendingApprovals).toEqual([
      {
        toolCallId: 'pay',
        toolName: 'refund_order',
        input: { orderNumber: '1042', amount: 80 },
        agent: 'billing',
      },
    ]);
    expect(events).toContainEqual(expect.objectContaining({ type: 'approval-request', toolCallId: 'pay' }));
    expect(refunds).toEqual([]);
    expect(await statusOf(first, paused.runId)).toBe('paused');
    before.model.assertComplete();
    await first.close();

    const second = await openDatabase({ dataDir: dir });
    const after = runnerOver(second, [{ text: 'Refunded 80.', usage: { inputTokens: 30, outputTokens: 3 } }]);
    const done = await after.runner.approve(paused.runId, { tenantId: 'acme', by: 'ops-anna' });
    expect(done).toMatchObject({ stopReason: 'completed', text: 'Refunded 80.', steps: 2 });
    expect(done.usage).toEqual({ inputTokens: 41, outputTokens: 7 });
    // The verified customer travelled with the stored run to the tool.
    expect(refunds).toEqual(['acme:1042:80:cust-7']);
    const results = after.model.calls[0]?.prompt.flatMap((message) =>
      message.role === 'tool'
        ? message.content.map((part) => part.type === 'tool-result' && part.toolCallId)
        : [],
    );
    expect(results).toEqual(['look', 'pay']);
    expect(await statusOf(second, paused.runId)).toBe('completed');
    await expect(
      after.runner.approve(paused.runId, { tenantId: 'acme', by: 'ops-anna' }),
    ).rejects.toMatchObject({
      code: 'run_not_paused',
    });
    await second.close();
  });
});

describe.each(testBackends())('approvals on $name', (backend) => {
  let db: Database;
  beforeAll(async () => {
    db = await backend.open();
    await ensureTenant(db, 'acme');
    await ensureTenant(db, 'other');
  });
  afterAll(async () => {
    await db?.close();
  });

  it('sends a rejection back to the model with who rejected it and why', async () => {
    refunds.length = 0;
    const paused = await runnerOver(db, pausingScript).runner.run(turn);
    const { model, runner } = runnerOver(db, [{ text: 'The refund was declined.' }]);
    const done = await runner.reject(paused.runId, {
      tenantId: 'acme',
      by: 'ops-ben',
      reason: 'over the limit',
    });
    expect(done).toMatchObject({ stopReason: 'completed', text: 'The refund was declined.' });
    expect(refunds).toEqual([]);
    expect(done.toolCalls.find((call) => call.toolCallId === 'pay')?.failure).toEqual({
      reason: 'rejected',
      message: 'Rejected by ops-ben: over the limit',
    });
    const seen = model.calls[0]?.prompt.flatMap((message) =>
      message.role === 'tool' ? message.content : [],
    );
    expect(seen).toContainEqual(
      expect.objectContaining({
        toolCallId: 'pay',
        output: { type: 'error-text', value: 'Rejected by ops-ben: over the limit' },
      }),
    );
  });

  it('keeps a run of one tenant out of reach of another, and rejects unknown ids', async () => {
    const paused = await runnerOver(db, pausingScript).runner.run(turn);
    const { runner } = runnerOver(db, []);
    await expect(runner.approve(paused.runId, { tenantId: 'other', by: 'x' })).rejects.toMatchObject({
      code: 'run_not_found',
    });
    await expect(
      runner.approve(paused.runId, { tenantId: 'acme', by: 'x', toolCallIds: ['nope'] }),
    ).rejects.toMatchObject({ code: 'unknown_tool_call' });
    // Still paused: a refused decision changes nothing.
    expect(await statusOf(db, paused.runId)).toBe('paused');
    await expect(runner.approve('not-a-uuid', { tenantId: 'acme', by: 'x' })).rejects.toMatchObject({
      code: 'run_not_found',
    });
  });

  it('lets exactly one of two concurrent approvals resume the run', async () => {
    const paused = await runnerOver(db, pausingScript).runner.run(turn);
    const { runner } = runnerOver(db, [{ text: 'done' }]);
    const outcomes = await Promise.allSettled([
      runner.approve(paused.runId, { tenantId: 'acme', by: 'a' }),
      runner.approve(paused.runId, { tenantId: 'acme', by: 'b' }),
    ]);
    expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('records a completed turn without approvals as completed', async () => {
    const { runner } = runnerOver(db, [{ text: 'hello' }]);
    const result = await runner.run(turn);
    expect(await statusOf(db, result.runId)).toBe('completed');
  });
});
