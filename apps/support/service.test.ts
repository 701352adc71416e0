import { afterEach, describe, expect, it } from 'vitest';
import { listTranscript } from '../../src/store/conversations.ts';
import { testBackends } from '../../src/testing/databases.ts';
import { createScriptedLanguageModel } from '../../src/testing/scripted-language-model.ts';
import { seedSupportStore } from './store/seed.ts';
import { lastToolResults, openSupportApp } from './testing.ts';

const TENANT = 'demo';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

async function open(
  backend: ReturnType<typeof testBackends>[number],
  model?: Parameters<typeof openSupportApp>[0]['model'],
) {
  const db = await backend.open();
  closers.push(() => db.close());
  const opened = await openSupportApp({ db, model });
  closers.push(opened.close);
  await seedSupportStore(opened.app.db, { tenantId: TENANT });
  return opened;
}

const toOrders = { toolCalls: [{ toolName: 'transfer_to_orders', input: { reason: 'Order question.' } }] };

describe.each(testBackends())('support service on $name', (backend) => {
  it('runs a multi-turn order conversation through triage and orders with real tool results', async () => {
    const model = createScriptedLanguageModel([
      // Turn 1: not verified yet, so the orders agent asks.
      toOrders,
      { text: 'I can help. Please send the email address you used for order GW-10004.' },
      // Turn 2: verify, then look the shipment up, then answer from what the tool returned.
      toOrders,
      {
        toolCalls: [
          {
            toolName: 'verify_customer',
            input: { orderNumber: 'GW-10004', email: 'maya.patel@example.com' },
          },
        ],
      },
      { toolCalls: [{ toolName: 'shipment_status', input: { orderNumber: 'GW-10004' } }] },
      (call) => {
        const status = lastToolResults(call).shipment_status as {
          ok: boolean;
          shipments: { carrier: string; trackingNumber: string; status: string }[];
        };
        const shipment = status.shipments[0]!;
        return {
          text: `Order GW-10004 is ${shipment.status.replaceAll('_', ' ')} with ${shipment.carrier} (tracking ${shipment.trackingNumber}).`,
        };
      },
      // Turn 3: already verified; the agent reads the order without asking again.
      toOrders,
      { toolCalls: [{ toolName: 'order_details', input: { orderNumber: 'GW-10004' } }] },
      (call) => {
        const details = lastToolResults(call).order_details as { lines: { product: string }[] };
        return { text: `It contains: ${details.lines.map((line) => line.product).join(', ')}.` };
      },
    ]);
    const { app, support } = await open(backend, model);
    expect(support.mode).toBe('agents');

    const first = await support.turn({ tenantId: TENANT, message: 'Where is my order GW-10004?' });
    expect(first).toMatchObject({
      mode: 'agents',
      agent: 'orders',
      route: ['triage', 'orders'],
      toolCalls: [],
    });
    const conversationId = first.conversationId;

    const second = await support.turn({
      tenantId: TENANT,
      conversationId,
      message: 'my email is maya.patel@example.com and the order is GW-10004',
    });
    expect(second.route).toEqual(['triage', 'orders']);
    expect(second.toolCalls.map((call) => call.name)).toEqual(['verify_customer', 'shipment_status']);
    const { rows } = await app.db.query<{ status: string; carrier: string }>(
      `SELECT s.status, s.carrier FROM support_shipments s WHERE s.tenant_id = $1 AND s.order_number = 'GW-10004'`,
      [TENANT],
    );
    expect(second.reply).toContain(rows[0]!.status.replaceAll('_', ' '));
    expect(second.reply).toContain(rows[0]!.carrier);

    const third = await support.turn({
      tenantId: TENANT,
      conversationId,
      message: 'What was in that order?',
    });
    expect(third.toolCalls).toMatchObject([{ name: 'order_details', output: { ok: true } }]);
    const { rows: lines } = await app.db.query<{ product: string }>(
      `SELECT product FROM support_order_lines WHERE tenant_id = $1 AND order_number = 'GW-10004' ORDER BY line`,
      [TENANT],
    );
    expect(third.reply).toBe(`It contains: ${lines.map((line) => line.product).join(', ')}.`);
    model.assertComplete();

    // The model saw the earlier turns (conversation memory), and the transcript holds every message.
    const lastCall = model.calls.at(-2)!;
    expect(JSON.stringify(lastCall.prompt)).toContain('maya.patel@example.com');
    const transcript = await listTranscript(app.db, TENANT, conversationId);
    expect(transcript.filter((message) => message.role === 'user')).toHaveLength(3);
    expect(transcript.filter((message) => message.role === 'tool').map((message) => message.content)).toEqual(
      ['verify_customer', 'shipment_status', 'order_details'],
    );
    const steps = await app.observability.metrics.agentSteps.get();
    const total = steps.values.reduce((sum, value) => sum + value.value, 0);
    expect(total).toBe(model.calls.length);
  }, 180_000); // eight turns, each storing a conversation and traces: slow only on a loaded machine

  it('sends an escalation to the operator inbox and stays silent while a person holds the conversation', async () => {
    const model = createScriptedLanguageModel([
      { toolCalls: [{ toolName: 'transfer_to_escalation', input: { reason: 'Wants a person.' } }] },
      {
        toolCalls: [
          {
            toolName: 'escalate_to_human',
            input: {
              reason: 'Customer asks for a person about a damaged parcel.',
              trigger: 'customer-request',
            },
          },
        ],
      },
    ]);
    const { app, support } = await open(backend, model);
    // A plain request for a person is parked by the guard without a model (agent-language.test.ts);
    // this one is the agents' decision.
    const escalated = await support.turn({
      tenantId: TENANT,
      message: 'My parcel arrived damaged and the box was wet, what now?',
    });
    expect(escalated).toMatchObject({ escalated: true, mode: 'human', agent: 'escalation' });
    const [waiting] = await app.inbox.list(TENANT);
    expect(waiting).toMatchObject({
      conversationId: escalated.conversationId,
      status: 'waiting',
      trigger: 'customer-request',
      reason: 'Customer asks for a person about a damaged parcel.',
    });

    const whileWaiting = await support.turn({
      tenantId: TENANT,
      conversationId: escalated.conversationId,
      message: 'Hello? Anyone?',
    });
    expect(whileWaiting).toMatchObject({ mode: 'human', agent: 'human' });
    expect(whileWaiting.reply).toMatch(/a person will reply/i);

    await app.inbox.claim({ tenantId: TENANT, actor: 'op-1' }, waiting!.id);
    const afterClaim = await support.turn({
      tenantId: TENANT,
      conversationId: escalated.conversationId,
      message: 'Still there?',
    });
    expect(afterClaim.reply).toMatch(/a person has joined/i);
    model.assertComplete(); // no model call while a person holds the conversation
    const escalations = await app.observability.metrics.escalations.get();
    expect(escalations.values).toEqual([
      expect.objectContaining({ labels: { trigger: expect.any(String) }, value: 1 }),
    ]);
    const transcript = await listTranscript(app.db, TENANT, escalated.conversationId);
    const assistant = transcript.filter((message) => message.role === 'assistant');
    expect(assistant).toHaveLength(1);
  });
});
