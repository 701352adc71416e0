import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ToolContext, VerifiedCustomer } from '../../../src/spec/agents.ts';
import type { RetrievalQuery, RetrievalResult } from '../../../src/spec/retrieval.ts';
import type { Database } from '../../../src/store/database.ts';
import { testBackends } from '../../../src/testing/databases.ts';
import { seedSupportStore } from '../store/seed.ts';
import { SEED_NOW } from '../store/seed-data.ts';
import { createSupportTools, type SupportTools } from './index.ts';

const TENANT = 't1';
const MAYA: VerifiedCustomer = { customerId: 'cust-0001', verifiedBy: 'order-and-email' };
const LIAM: VerifiedCustomer = { customerId: 'cust-0002', verifiedBy: 'order-and-email' };
const context = (customer?: VerifiedCustomer, conversationId = 'c1'): ToolContext => ({
  tenantId: TENANT,
  conversationId,
  runId: 'r1',
  customer,
  signal: new AbortController().signal,
});

describe.each(testBackends())('support tools on $name', (backend) => {
  let db: Database;
  let tools: SupportTools;
  const queries: RetrievalQuery[] = [];
  beforeAll(async () => {
    db = await backend.open();
    await seedSupportStore(db, { tenantId: TENANT });
    await seedSupportStore(db, { tenantId: 'other' });
    const retriever = {
      async search(query: RetrievalQuery): Promise<RetrievalResult> {
        queries.push(query);
        return {
          mode: 'lexical',
          chunks: [],
          timings: { embedMs: 0, lexicalMs: 0, vectorMs: 0, totalMs: 0 },
        };
      },
    };
    tools = createSupportTools({ db, retriever, now: () => SEED_NOW });
  });
  afterAll(() => db?.close());

  it('verifies with the right order and email, in any case', async () => {
    const result = await tools.verifyCustomer.execute(
      { orderNumber: 'gw-10001', email: ' Maya.Patel@Example.com ' },
      context(undefined, 'v1'),
    );
    expect(result).toEqual({
      ok: true,
      customer: {
        customerId: 'cust-0001',
        email: 'maya.patel@example.com',
        name: 'Maya Patel',
        verifiedBy: 'order-and-email',
      },
    });
  });

  it('fails verification with one message whichever part is wrong, then stops after three tries', async () => {
    const wrongEmail = await tools.verifyCustomer.execute(
      { orderNumber: 'GW-10001', email: 'liam.chen@example.com' },
      context(undefined, 'v2'),
    );
    const wrongOrder = await tools.verifyCustomer.execute(
      { orderNumber: 'GW-99999', email: 'maya.patel@example.com' },
      context(undefined, 'v2'),
    );
    expect(wrongEmail).toEqual(wrongOrder);
    expect(wrongEmail).toMatchObject({ ok: false, code: 'verification_failed' });
    await tools.verifyCustomer.execute(
      { orderNumber: 'GW-10001', email: 'x@example.com' },
      context(undefined, 'v2'),
    );
    const fourth = await tools.verifyCustomer.execute(
      { orderNumber: 'GW-10001', email: 'maya.patel@example.com' },
      context(undefined, 'v2'),
    );
    expect(fourth).toMatchObject({ ok: false, code: 'too_many_attempts' });
  });

  it('keeps counting attempts across instances of the app, and never lets two at once take the last', async () => {
    // Details that name no customer, so only the conversation's own allowance is at stake here
    // (customers' allowances across conversations are in verification-guessing.test.ts).
    const wrong = { orderNumber: 'GW-99999', email: 'nobody@example.com' };
    for (let attempt = 0; attempt < 3; attempt++)
      await tools.verifyCustomer.execute(wrong, context(undefined, 'v3'));
    // A restart (or another instance) builds its tools afresh over the same database.
    const restarted = createSupportTools({
      db,
      retriever: {
        search: async () => ({
          mode: 'lexical',
          chunks: [],
          timings: { embedMs: 0, lexicalMs: 0, vectorMs: 0, totalMs: 0 },
        }),
      },
      now: () => SEED_NOW,
    });
    const right = { orderNumber: 'GW-10001', email: 'maya.patel@example.com' };
    expect(await restarted.verifyCustomer.execute(right, context(undefined, 'v3'))).toMatchObject({
      ok: false,
      code: 'too_many_attempts',
    });
    // Five wrong attempts at once on a fresh conversation: exactly three are tried, the third saying
    // it was the last.
    const results = await Promise.all(
      Array.from({ length: 5 }, () => restarted.verifyCustomer.execute(wrong, context(undefined, 'v4'))),
    );
    const messages = results.map((result) => (result.ok ? 'ok' : result.message)).sort();
    expect(messages).toEqual([
      'I could not verify those details, and that was the last attempt here. A member of our team will help you.',
      'I could not verify those details. Please check the order number and the email address and try again.',
      'I could not verify those details. Please check the order number and the email address and try again.',
      'Too many verification attempts. A member of our team will help you.',
      'Too many verification attempts. A member of our team will help you.',
    ]);
    // Another conversation has its own allowance, and verifying resets it.
    expect(await restarted.verifyCustomer.execute(wrong, context(undefined, 'v5'))).toMatchObject({
      code: 'verification_failed',
    });
    expect(await restarted.verifyCustomer.execute(right, context(undefined, 'v5'))).toMatchObject({
      ok: true,
    });
    const { rows } = await db.query(
      `SELECT 1 FROM support_verification_limits WHERE tenant_id = $1 AND dimension = 'conversation' AND subject = 'v5'`,
      [TENANT],
    );
    expect(rows).toHaveLength(0);
  });

  it('lists and shows only the customer’s own orders', async () => {
    const found = await tools.findOrders.execute({}, context(MAYA));
    expect(found.ok && found.orders.map((order) => order.orderNumber).sort()).toEqual([
      'GW-10001',
      'GW-10002',
      'GW-10003',
      'GW-10004',
      'GW-10005',
    ]);
    const details = await tools.orderDetails.execute({ orderNumber: 'GW-10001' }, context(MAYA));
    expect(details).toMatchObject({
      ok: true,
      order: { status: 'delivered', total: 199 },
      lines: [{ model: 'LUM-T2' }],
    });
    const shipment = await tools.shipmentStatus.execute({ orderNumber: 'GW-10004' }, context(MAYA));
    expect(shipment).toMatchObject({ ok: true, shipments: [{ status: 'in_transit' }] });
  });

  it('answers another customer’s order exactly like a missing one, through every order tool', async () => {
    for (const tool of [tools.orderDetails, tools.shipmentStatus, tools.startReturn] as const) {
      const someoneElses = await tool.execute({ orderNumber: 'GW-10006', reason: 'x' }, context(MAYA));
      const missing = await tool.execute(
        { orderNumber: 'GW-10006'.replace('6', '9') + '9', reason: 'x' },
        context(MAYA),
      );
      expect(someoneElses).toMatchObject({ ok: false, code: 'order_not_found' });
      expect(JSON.stringify(someoneElses).replace('GW-10006', 'N')).toBe(
        JSON.stringify(missing).replace('GW-100099', 'N'),
      );
    }
    const liam = await tools.orderDetails.execute({ orderNumber: 'GW-10006' }, context(LIAM));
    expect(liam.ok).toBe(true);
  });

  it('refuses every personal-data tool without a verified customer', async () => {
    for (const result of [
      await tools.findOrders.execute({}, context()),
      await tools.orderDetails.execute({ orderNumber: 'GW-10001' }, context()),
      await tools.shipmentStatus.execute({ orderNumber: 'GW-10001' }, context()),
      await tools.startReturn.execute({ orderNumber: 'GW-10001', reason: 'x' }, context()),
    ]) {
      expect(result).toMatchObject({ ok: false, code: 'not_verified' });
    }
  });

  it('starts a return below the limit, asks approval above it, refuses outside the window', async () => {
    const needs = tools.startReturn.needsApproval as (
      input: unknown,
      context: ToolContext,
    ) => Promise<boolean>;
    expect(await needs({ orderNumber: 'GW-10001', reason: 'x' }, context(MAYA))).toBe(false);
    expect(await needs({ orderNumber: 'GW-10002', reason: 'x' }, context(MAYA))).toBe(true);
    expect(await needs({ orderNumber: 'GW-10002', reason: 'x' }, context(LIAM))).toBe(false);
    const small = await tools.startReturn.execute(
      { orderNumber: 'GW-10001', reason: 'Not needed' },
      context(MAYA),
    );
    expect(small).toMatchObject({ ok: true, refundAmount: 199, status: 'requested' });
    const again = await tools.startReturn.execute(
      { orderNumber: 'GW-10001', reason: 'Not needed' },
      context(MAYA),
    );
    expect(again).toMatchObject({ ok: false, code: 'already_returned' });
    const large = await tools.startReturn.execute(
      { orderNumber: 'GW-10002', reason: 'Too many cameras' },
      context(MAYA),
    );
    expect(large).toMatchObject({ ok: true, refundAmount: 649, status: 'awaiting_approval' });
    const old = await tools.startReturn.execute({ orderNumber: 'GW-10003', reason: 'Slow' }, context(MAYA));
    expect(old).toMatchObject({ ok: false, code: 'not_returnable' });
    expect(!old.ok && old.message).toMatch(/70 days ago, outside the 30-day return window/);
    const inTransit = await tools.startReturn.execute(
      { orderNumber: 'GW-10004', reason: 'x' },
      context(MAYA),
    );
    expect(inTransit).toMatchObject({ ok: false, code: 'not_returnable' });
  });

  it('searches the knowledge base of the caller’s tenant, filtered per tool', async () => {
    queries.length = 0;
    await tools.searchFaq.execute({ query: 'return window' }, context());
    await tools.searchManuals.execute({ query: 'blinking red' }, context());
    expect(queries.every((query) => query.tenantId === TENANT)).toBe(true);
    expect(queries.map((query) => query.filters?.metadata)).toEqual([
      { category: 'faq' },
      { category: 'policy' },
      { category: 'catalogue' },
      { category: 'manual' },
      { subject: 'Brightwave Home product manual' },
    ]);
  });
});
