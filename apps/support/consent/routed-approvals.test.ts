import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHttpApp } from '../../../src/server/app.ts';
import { seedSupportStore } from '../store/seed.ts';
import { openSupportApp } from '../testing.ts';

// Issue 20: a routed refund above the limit reaches the approvals page, and the operator's decision
// reaches the customer.
const TENANT = 'demo';
let opened: Awaited<ReturnType<typeof openSupportApp>>;
let customer: string;
let operator: string;
let http: ReturnType<typeof createHttpApp>;
beforeAll(async () => {
  opened = await openSupportApp({});
  await seedSupportStore(opened.app.db, { tenantId: TENANT });
  http = createHttpApp(opened.app, { ...opened.http, webRoot: null });
  const issue = async (role: 'customer' | 'operator') =>
    (await opened.app.keys.create({ tenantId: TENANT, name: role, role }, { actor: 'test' })).secret;
  customer = await issue('customer');
  operator = await issue('operator');
});
afterAll(() => opened.close());

const post = (secret: string, url: string, body?: unknown) =>
  http.request(url, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
const get = (secret: string, url: string) =>
  http.request(url, { headers: { authorization: `Bearer ${secret}` } });

async function askForRefund(): Promise<{ conversationId: string; runId: string }> {
  const first = (await (
    await post(customer, '/v1/support/messages', {
      message: 'Please refund order GW-10002, too many cameras. My email is maya.patel@example.com',
    })
  ).json()) as { conversationId: string; reply: string };
  expect(first.reply).toContain('$649.00');
  const yes = (await (
    await post(customer, '/v1/support/messages', { conversationId: first.conversationId, message: 'yes' })
  ).json()) as { reply: string; pendingApproval: { runId: string } };
  expect(yes.reply).toMatch(/team member will approve/);
  return { conversationId: first.conversationId, runId: yes.pendingApproval.runId };
}

describe('routed approvals over HTTP', () => {
  it('lists the request, and approval opens the return and tells the customer', async () => {
    const { conversationId, runId } = await askForRefund();
    const listed = (await (await get(operator, '/v1/support/approvals')).json()) as {
      approvals: { runId: string; calls: { toolName: string; refund?: { amount: number } }[] }[];
    };
    expect(listed.approvals).toMatchObject([
      { runId, conversationId, calls: [{ toolName: 'start_return', refund: { amount: 649 } }] },
    ]);
    const approved = await post(operator, `/v1/support/approvals/${runId}/approve`, { reason: 'ok' });
    expect(approved.status).toBe(200);
    const done = (await approved.json()) as { reply: string };
    expect(done.reply).toMatch(/opened return \d+ for order GW-10002/);
    const { rows } = await opened.app.db.query<{ status: string }>(
      `SELECT status FROM support_returns WHERE tenant_id = $1 AND order_number = 'GW-10002'`,
      [TENANT],
    );
    expect(rows).toEqual([{ status: 'approved' }]);
    const view = (await (await get(customer, `/v1/conversations/${conversationId}/messages`)).json()) as {
      messages: { role: string; content: string }[];
    };
    expect(view.messages.slice(-2).map((message) => message.role)).toEqual(['system', 'assistant']);
    expect(view.messages.at(-1)?.content).toBe(done.reply);
    const again = await post(operator, `/v1/support/approvals/${runId}/approve`, {});
    expect(again.status).toBe(409);
    await opened.app.db.query('DELETE FROM support_returns WHERE tenant_id = $1', [TENANT]);
  });

  it('rejection opens nothing and tells the customer', async () => {
    const { conversationId, runId } = await askForRefund();
    const rejected = await post(operator, `/v1/support/approvals/${runId}/reject`, { reason: 'Used kit' });
    expect(rejected.status).toBe(200);
    expect(((await rejected.json()) as { reply: string }).reply).toMatch(/did not approve.*Used kit/);
    const { rows } = await opened.app.db.query('SELECT id FROM support_returns WHERE tenant_id = $1', [
      TENANT,
    ]);
    expect(rows).toEqual([]);
    const view = (await (await get(customer, `/v1/conversations/${conversationId}/messages`)).json()) as {
      messages: { role: string; content: string }[];
    };
    expect(view.messages.at(-2)?.content).toBe('A team member declined your request.');
    expect(await (await get(operator, '/v1/support/approvals')).json()).toEqual({ approvals: [] });
  });
});
