import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { PostgresAgentRunStore } from '../../store/agent-runs.ts';
import type { Database } from '../../store/database.ts';
import { ensureTenant } from '../../store/documents.ts';
import { openDatabase } from '../../store/open.ts';
import { PostgresPendingActionStore } from '../../store/pending-actions.ts';
import { createScriptedLanguageModel, type ScriptedReply } from '../../testing/scripted-language-model.ts';
import { AgentError, type AgentEvent, createAgentRunner, defineAgent, defineTool } from '../index.ts';
import { CONSENT_SPAN, CONSENT_STATE_ATTRIBUTE } from './trace.ts';

// The consent guarantee of the runtime (issue 20): a tool with `effect: 'write'` never runs when the
// model calls it, only on the customer's explicit yes in the next turn, whatever the model does.
const cancelled: string[] = [];
const orders = new Map([
  ['1042', 'placed'],
  ['1043', 'shipped'],
]);
const cancelOrder = defineTool({
  name: 'cancel_order',
  description: 'Cancels an order that has not shipped.',
  inputSchema: z.object({ orderNumber: z.string() }),
  effect: 'write',
  describeAction: ({ orderNumber }) => `cancel order ${orderNumber} and refund $80.00 to your card`,
  precheck: async ({ orderNumber }) =>
    orders.get(orderNumber) === 'placed'
      ? undefined
      : { ok: false, message: `Order ${orderNumber} has shipped; it cannot be cancelled.` },
  needsApproval: async ({ orderNumber }) => orderNumber === '1044',
  execute: async ({ orderNumber }) => {
    cancelled.push(orderNumber);
    return { ok: true, message: `Cancelled ${orderNumber}.` };
  },
});
const agent = defineAgent({ name: 'orders', description: 'o', instructions: 'o', tools: [cancelOrder] });
const cancelCall = (orderNumber: string, id = `call-${orderNumber}`): ScriptedReply => ({
  text: 'Done, I cancelled it!',
  toolCalls: [{ toolName: 'cancel_order', input: { orderNumber }, id }],
});

let dir: string;
let db: Database;
const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'groundwork-consent-'));
  db = await openDatabase({ dataDir: dir });
  await ensureTenant(db, 'acme');
});
afterAll(async () => {
  await db.close();
  await rm(dir, { recursive: true, force: true });
});
beforeEach(() => {
  cancelled.length = 0;
  exporter.reset();
});

function runnerOver(database: Database, script: readonly ScriptedReply[]) {
  const model = createScriptedLanguageModel(script);
  const runner = createAgentRunner({
    agents: [agent],
    model,
    store: new PostgresAgentRunStore(database),
    pendingActions: new PostgresPendingActionStore(database),
    tracer: provider.getTracer('test'),
  });
  return { model, runner };
}

let conversation = 0;
function conversationOf() {
  conversation += 1;
  const conversationId = `conv-${conversation}`;
  const history: { role: 'user' | 'assistant'; content: string }[] = [];
  return {
    turn(message: string) {
      history.push({ role: 'user', content: message });
      return { tenantId: 'acme', conversationId, messages: [...history] };
    },
    answered(text: string) {
      history.push({ role: 'assistant', content: text });
    },
  };
}

const consentStates = () =>
  exporter
    .getFinishedSpans()
    .filter((span) => span.name === CONSENT_SPAN)
    .map((span) => span.attributes[CONSENT_STATE_ATTRIBUTE]);

describe('write tools wait for the customer', () => {
  it('holds the call the model makes, states the action, and runs it on "yes" after a restart', async () => {
    const chat = conversationOf();
    const first = runnerOver(db, [cancelCall('1042')]);
    const events: AgentEvent[] = [];
    const asked = await first.runner.run(chat.turn('Please cancel order 1042'), {
      onEvent: (event) => events.push(event),
    });
    expect(asked.stopReason).toBe('awaiting-confirmation');
    expect(asked.text).toContain('cancel order 1042 and refund $80.00 to your card');
    expect(asked.text).toMatch(/yes/);
    // The model's own claim is not what the customer reads.
    expect(asked.text).not.toContain('Done');
    expect(asked.pendingAction).toMatchObject({ toolName: 'cancel_order', input: { orderNumber: '1042' } });
    expect(cancelled).toEqual([]);
    expect(events).toContainEqual(
      expect.objectContaining({ type: 'consent', state: 'awaiting-confirmation' }),
    );
    first.model.assertComplete();
    chat.answered(asked.text);

    // A new process over the same database: the pending action is still there.
    await db.close();
    db = await openDatabase({ dataDir: dir });
    const second = runnerOver(db, [{ text: 'Order 1042 is cancelled.' }]);
    const done = await second.runner.run(chat.turn('yes please'));
    expect(cancelled).toEqual(['1042']);
    expect(done).toMatchObject({ stopReason: 'completed', text: 'Order 1042 is cancelled.' });
    expect(done.toolCalls).toMatchObject([{ toolName: 'cancel_order', output: { ok: true } }]);
    second.model.assertComplete();
    expect(consentStates()).toEqual(['awaiting-confirmation', 'confirmed']);
  });

  const notYes = [
    'no',
    'how long does a refund take?',
    'yes but keep the shipping',
    'hmm',
    'cancel order 1042',
  ];
  for (const answer of notYes) {
    it(`never runs on "${answer}", even when the model calls the tool again and the customer then says yes`, async () => {
      const chat = conversationOf();
      const asked = await runnerOver(db, [cancelCall('1042')]).runner.run(chat.turn('Cancel order 1042'));
      chat.answered(asked.text);
      // The model tries again right away: it is held (and proposed anew) rather than run.
      const again = runnerOver(db, [cancelCall('1042', 'again'), { text: 'All right.' }]);
      const next = await again.runner.run(chat.turn(answer));
      expect(cancelled).toEqual([]);
      // The answer did not confirm: nothing is proposed again in this turn, so a later yes runs nothing.
      expect(next.stopReason).not.toBe('awaiting-confirmation');
      expect(next.toolCalls).toMatchObject([{ toolName: 'cancel_order', failure: { reason: 'not-run' } }]);
      chat.answered(next.text);
      await runnerOver(db, [{ text: 'Anything else?' }]).runner.run(chat.turn('yes'));
      expect(cancelled).toEqual([]);
      expect(consentStates()).toContain('declined');
    });
  }

  const mentions = [
    'if my order 1042 is late, I want to cancel it',
    'I do not want to cancel 1042',
    'Can I cancel order 1042?',
    'what happens if I cancel 1042',
  ];
  for (const text of mentions) {
    it(`does not propose anything for "${text}"`, async () => {
      const chat = conversationOf();
      const { model, runner } = runnerOver(db, [cancelCall('1042'), { text: 'Happy to explain.' }]);
      const result = await runner.run(chat.turn(text));
      expect(result.stopReason).toBe('completed');
      expect(result.toolCalls).toMatchObject([{ toolName: 'cancel_order', failure: { reason: 'not-run' } }]);
      model.assertComplete();
      chat.answered(result.text);
      await runnerOver(db, [{ text: 'OK.' }]).runner.run(chat.turn('yes'));
      expect(cancelled).toEqual([]);
      expect(consentStates()).toEqual(['not-proposed']);
    });
  }

  it('gives the model the precheck refusal instead of asking the customer', async () => {
    const chat = conversationOf();
    const { runner } = runnerOver(db, [cancelCall('1043'), { text: 'It has shipped, sorry.' }]);
    const result = await runner.run(chat.turn('cancel order 1043'));
    expect(result.stopReason).toBe('completed');
    expect(result.toolCalls).toMatchObject([{ output: { ok: false } }]);
    expect(result.pendingAction).toBeUndefined();
    expect(await new PostgresPendingActionStore(db).get('acme', `conv-${conversation}`)).toBeUndefined();
  });

  it('a confirmed call that needs approval pauses for a person, who then runs it', async () => {
    orders.set('1044', 'placed');
    const chat = conversationOf();
    const asked = await runnerOver(db, [cancelCall('1044')]).runner.run(chat.turn('cancel order 1044'));
    chat.answered(asked.text);
    const paused = await runnerOver(db, []).runner.run(chat.turn('Yes.'));
    expect(paused.stopReason).toBe('awaiting-approval');
    expect(cancelled).toEqual([]);
    const done = await runnerOver(db, [{ text: 'Cancelled after approval.' }]).runner.approve(paused.runId, {
      tenantId: 'acme',
      by: 'ops',
    });
    expect(done.stopReason).toBe('completed');
    expect(cancelled).toEqual(['1044']);
  });

  it('refuses to define a write tool that cannot describe its action', () => {
    expect(() =>
      defineTool({
        name: 'wipe',
        description: 'w',
        inputSchema: z.object({}),
        effect: 'write',
        execute: async () => 'gone',
      }),
    ).toThrow(AgentError);
  });
});
