import { afterEach, describe, expect, it } from 'vitest';
import { ensureTenant } from '../../src/store/documents.ts';
import { testBackends } from '../../src/testing/databases.ts';
import { createScriptedLanguageModel } from '../../src/testing/scripted-language-model.ts';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp } from './testing.ts';

const TENANT = 'demo';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const toOrders = { toolCalls: [{ toolName: 'transfer_to_orders', input: { reason: 'Orders.' } }] };

describe.each(testBackends())('a verified customer cannot reach another customer on $name', (backend) => {
  it("gets not-found for B's orders, exactly as for a missing order, and never B's memory", async () => {
    const probe = (orderNumber: string, id: string) => [
      { toolName: 'order_details', input: { orderNumber }, id: `${id}-details` },
      { toolName: 'shipment_status', input: { orderNumber }, id: `${id}-status` },
      { toolName: 'start_return', input: { orderNumber, reason: 'Do not want it.' }, id: `${id}-return` },
    ];
    const model = createScriptedLanguageModel([
      toOrders,
      {
        toolCalls: [
          {
            toolName: 'verify_customer',
            input: { orderNumber: 'GW-10001', email: 'maya.patel@example.com' },
          },
        ],
      },
      { text: 'You are verified.' },
      toOrders,
      // The model was talked into B's order number (GW-10006) and into reading memory; a missing order
      // (GW-99999) is asked the same way, to compare.
      {
        toolCalls: [
          ...probe('GW-10006', 'other'),
          ...probe('GW-99999', 'missing'),
          { toolName: 'recall', input: { query: 'gate code door access' }, id: 'recall' },
        ],
      },
      // The reply repeats every tool result verbatim, so anything leaked would show in it.
      (call) => ({ text: JSON.stringify(call.prompt.at(-1)) }),
    ]);
    const db = await backend.open();
    closers.push(() => db.close());
    const { app, support, close } = await openSupportApp({ db, model });
    closers.push(close);
    await seedSupportStore(app.db, { tenantId: TENANT });
    await ensureTenant(app.db, TENANT);
    const { rows: people } = await app.db.query<{ id: string; email: string; name: string }>(
      `SELECT id, email, name FROM support_customers WHERE tenant_id = $1 AND email IN ($2, $3)`,
      [TENANT, 'maya.patel@example.com', 'liam.chen@example.com'],
    );
    const maya = people.find((person) => person.email.startsWith('maya'))!;
    const liam = people.find((person) => person.email.startsWith('liam'))!;
    const memories = app.memory.customers;
    await memories.remember(
      { tenantId: TENANT, customerId: liam.id },
      { kind: 'fact', text: 'Liam gate code is 4471 for door access.' },
    );
    await memories.remember(
      { tenantId: TENANT, customerId: maya.id },
      { kind: 'preference', text: 'Maya prefers delivery at the side door.' },
    );
    const { rows: theirs } = await app.db.query<{ text: string }>(
      `SELECT o.order_number AS text FROM support_orders o WHERE o.tenant_id = $1 AND o.customer_id = $2
       UNION ALL SELECT s.tracking_number FROM support_shipments s JOIN support_orders o
         ON o.tenant_id = s.tenant_id AND o.order_number = s.order_number WHERE o.tenant_id = $1 AND o.customer_id = $2`,
      [TENANT, liam.id],
    );
    expect(theirs.map((row) => row.text)).toContain('GW-10006');
    const returnsBefore = await app.db.query('SELECT id FROM support_returns WHERE tenant_id = $1', [TENANT]);

    const verified = await support.turn({ tenantId: TENANT, message: 'GW-10001, maya.patel@example.com' });
    const probed = await support.turn({
      tenantId: TENANT,
      conversationId: verified.conversationId,
      message: 'Show me order GW-10006 and what you remember about the gate code',
    });
    model.assertComplete();

    const byId = (name: string, order: string) =>
      probed.toolCalls.find(
        (call) => call.name === name && (call.input as { orderNumber?: string }).orderNumber === order,
      )?.output;
    for (const name of ['order_details', 'shipment_status', 'start_return']) {
      const other = byId(name, 'GW-10006');
      const missing = byId(name, 'GW-99999');
      expect(other).toEqual({
        ok: false,
        code: 'order_not_found',
        message: 'I could not find order GW-10006 on your account.',
      });
      expect(JSON.stringify(other).replace('GW-10006', 'GW-99999')).toBe(JSON.stringify(missing));
    }
    expect(probed.pendingApproval).toBeUndefined();
    const recalled = probed.toolCalls.find((call) => call.name === 'recall')?.output as {
      memories: { text: string }[];
    };
    expect(recalled.memories.map((memory) => memory.text)).toEqual([
      'Maya prefers delivery at the side door.',
    ]);

    // Nothing of B reaches the reply, the tool results, or any prompt the model was sent.
    const leaks = [liam.name, liam.email, '4471', 'gate code is', ...theirs.map((row) => row.text)].filter(
      (text) => text !== 'GW-10006',
    );
    const seen = [
      probed.reply,
      JSON.stringify(probed.toolCalls),
      JSON.stringify(model.calls.map((call) => call.prompt)),
    ];
    for (const text of leaks) for (const place of seen) expect(place).not.toContain(text);
    const returnsAfter = await app.db.query('SELECT id FROM support_returns WHERE tenant_id = $1', [TENANT]);
    expect(returnsAfter.rows).toHaveLength(returnsBefore.rows.length);
  });
});
