import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { afterEach, describe, expect, it } from 'vitest';
import type { Groundwork } from '../../src/app.ts';
import { createHttpApp } from '../../src/server/app.ts';
import type { Database } from '../../src/store/database.ts';
import { testBackends } from '../../src/testing/databases.ts';
import {
  createScriptedLanguageModel,
  type ScriptedReply,
} from '../../src/testing/scripted-language-model.ts';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp } from './testing.ts';

const TENANT = 'demo';
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const toOrders: ScriptedReply = {
  toolCalls: [{ toolName: 'transfer_to_orders', input: { reason: 'Orders.' } }],
};
const details = (orderNumber: string, id = orderNumber): ScriptedReply => ({
  toolCalls: [{ toolName: 'order_details', input: { orderNumber }, id: `details-${id}` }],
});
/** The reply repeats the tool results verbatim, so anything leaked would show in it. */
const echo: ScriptedReply = (call) => ({ text: JSON.stringify(call.prompt.at(-1)) });

interface Turn {
  conversationId: string;
  reply: string;
  toolCalls: { name: string; input: { orderNumber?: string }; output?: { ok?: boolean; code?: string } }[];
}

/** The support server over `db` as `groundwork support` mounts it, with sessions and the directory. */
async function serve(db: Database, dataDir: string, model: LanguageModelV3) {
  const { app, http: supportHttp, close: closeApp } = await openSupportApp({ db, dataDir, model });
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    await closeApp();
  };
  closers.push(close);
  const http = createHttpApp(app, { ...supportHttp, webRoot: null });
  const post = async (token: string, path: string, body?: unknown) =>
    http.request(path, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
  const message = async (token: string, text: string, conversationId?: string) => {
    const response = await post(token, '/v1/support/messages', {
      message: text,
      ...(conversationId ? { conversationId } : {}),
    });
    return { status: response.status, body: (await response.json()) as Turn & { error?: { code: string } } };
  };
  const session = async (key: string, body?: unknown) => {
    const response = await post(key, '/v1/sessions', body);
    expect(response.status).toBe(201);
    return (await response.json()) as { token: string; sessionId: string; customer?: { customerId: string } };
  };
  return { app, http, message, session, close };
}

async function keysFor(app: Groundwork) {
  const create = async (role: 'customer' | 'operator') =>
    (await app.keys.create({ tenantId: TENANT, name: role, role }, { actor: 'cli' })).secret;
  return { widget: await create('customer'), backend: await create('operator') };
}

const outputOf = (turn: Turn, order: string) =>
  turn.toolCalls.find((call) => call.name === 'order_details' && call.input.orderNumber === order)?.output;

describe.each(testBackends())('support with customer sessions on $name', (backend) => {
  const scratch = () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'gw-support-sessions-'));
    closers.push(async () => rmSync(dir, { recursive: true, force: true }));
    return dir;
  };

  it('runs order tools for a vouched-for customer without asking, and never for another customer', async () => {
    const model = createScriptedLanguageModel([
      // The signed-in customer's turn: the model is talked into another customer's order too.
      toOrders,
      {
        toolCalls: [
          { toolName: 'order_details', input: { orderNumber: 'GW-10001' }, id: 'mine' },
          { toolName: 'order_details', input: { orderNumber: 'GW-10006' }, id: 'theirs' },
        ],
      },
      echo,
      // An anonymous session asks for the same order: not verified, nothing shown.
      toOrders,
      details('GW-10001'),
      echo,
    ]);
    const db = await backend.open();
    closers.push(() => db.close());
    const { app, message, session } = await serve(db, scratch(), model);
    await seedSupportStore(app.db, { tenantId: TENANT });
    const keys = await keysFor(app);

    const maya = await session(keys.backend, { email: 'Maya.Patel@example.com' });
    expect(maya.customer?.customerId).toBe('cust-0001');
    const turn = await message(maya.token, 'Where are my orders GW-10001 and GW-10006?');
    expect(turn.status).toBe(200);
    expect(turn.body.toolCalls.map((call) => call.name)).not.toContain('verify_customer');
    expect(outputOf(turn.body, 'GW-10001')).toMatchObject({ ok: true });
    expect(outputOf(turn.body, 'GW-10006')).toEqual({
      ok: false,
      code: 'order_not_found',
      message: 'I could not find order GW-10006 on your account.',
    });
    const { rows: liam } = await app.db.query<{ text: string }>(
      `SELECT name AS text FROM support_customers WHERE tenant_id = $1 AND id = 'cust-0002'
       UNION ALL SELECT email FROM support_customers WHERE tenant_id = $1 AND id = 'cust-0002'
       UNION ALL SELECT tracking_number FROM support_shipments WHERE tenant_id = $1 AND order_number = 'GW-10006'`,
      [TENANT],
    );
    expect(liam.length).toBeGreaterThanOrEqual(3);
    const seen = [
      turn.body.reply,
      JSON.stringify(turn.body.toolCalls),
      JSON.stringify(model.calls.map((c) => c.prompt)),
    ];
    for (const { text } of liam) for (const place of seen) expect(place).not.toContain(text);

    const anonymous = await session(keys.widget);
    const refused = await message(anonymous.token, 'Where is my order GW-10001?');
    expect(outputOf(refused.body, 'GW-10001')).toMatchObject({ ok: false, code: 'not_verified' });
    model.assertComplete();

    // Sessions for customers the orders store does not know, or that disagree, are refused.
    const unknown = await (await serve(db, scratch(), createScriptedLanguageModel([]))).http.request(
      '/v1/sessions',
      {
        method: 'POST',
        headers: { authorization: `Bearer ${keys.backend}`, 'content-type': 'application/json' },
        body: JSON.stringify({ customerId: 'cust-0001', email: 'liam.chen@example.com' }),
      },
    );
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('customer_mismatch');
  });

  it('binds an anonymous session to the customer it verifies, across turns, conversations and a restart', async () => {
    const db = await backend.open();
    closers.push(() => db.close());
    const dataDir = scratch();
    const before = createScriptedLanguageModel([
      toOrders,
      {
        toolCalls: [
          {
            toolName: 'verify_customer',
            input: { orderNumber: 'GW-10001', email: 'maya.patel@example.com' },
          },
        ],
      },
      { text: 'Thanks, you are verified.' },
    ]);
    const first = await serve(db, dataDir, before);
    await seedSupportStore(first.app.db, { tenantId: TENANT });
    const keys = await keysFor(first.app);
    const anonymous = await first.session(keys.widget);
    expect(anonymous.customer).toBeUndefined();
    const verified = await first.message(anonymous.token, 'GW-10001, maya.patel@example.com');
    expect(verified.status).toBe(200);
    expect(verified.body.toolCalls.find((call) => call.name === 'verify_customer')?.output).toMatchObject({
      ok: true,
    });
    const stored = await first.app.sessions.get(TENANT, anonymous.sessionId);
    expect(stored).toMatchObject({ customerId: 'cust-0001', verifiedBy: 'order-and-email' });
    const audit = await first.app.keys.audit.list({ tenantId: TENANT });
    expect(audit.find((entry) => entry.action === 'session.verify')?.target).toBe(anonymous.sessionId);
    before.assertComplete();
    // The server restarts: a new process over the same database and data dir (the signing secret).
    await first.close();

    const after = createScriptedLanguageModel([
      toOrders,
      details('GW-10001', 'same'),
      echo,
      toOrders,
      details('GW-10001', 'new'),
      echo,
      toOrders,
      details('GW-10001', 'other'),
      echo,
    ]);
    const second = await serve(db, dataDir, after);
    const sameConversation = await second.message(
      anonymous.token,
      'And where is it now?',
      verified.body.conversationId,
    );
    expect(sameConversation.status).toBe(200);
    expect(outputOf(sameConversation.body, 'GW-10001')).toMatchObject({ ok: true });
    const newConversation = await second.message(anonymous.token, 'Where is my order GW-10001?');
    expect(newConversation.body.conversationId).not.toBe(verified.body.conversationId);
    expect(outputOf(newConversation.body, 'GW-10001')).toMatchObject({ ok: true });

    // Another anonymous session of the same widget is neither verified nor let into the conversation.
    const other = await second.session(keys.widget);
    const intruder = await second.message(other.token, 'Show me the order', verified.body.conversationId);
    expect(intruder.status).toBe(404);
    expect(intruder.body.error?.code).toBe('conversation_not_found');
    const own = await second.message(other.token, 'Where is my order GW-10001?');
    expect(outputOf(own.body, 'GW-10001')).toMatchObject({ ok: false, code: 'not_verified' });
    after.assertComplete();
  });
});
