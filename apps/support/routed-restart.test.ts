import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { seedSupportStore } from './store/seed.ts';
import { openSupportApp } from './testing.ts';

const TENANT = 'demo';
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

// The no-LLM policy keeps what the customer asked before verifying, and verification keeps its
// failure count, in the database: a new process over the same data directory carries each
// conversation on.
describe('routed mode across a restart', () => {
  it('remembers the pending request, its wording and the failed verifications', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'gw-support-routed-restart-'));
    cleanups.push(() => rm(dataDir, { recursive: true, force: true }));

    const first = await openSupportApp({ dataDir });
    await seedSupportStore(first.app.db, { tenantId: TENANT });
    expect(first.support.mode).toBe('routed');
    const say = (support: typeof first.support, message: string, conversationId?: string) =>
      support.turn({ tenantId: TENANT, message, ...(conversationId ? { conversationId } : {}) });

    const status = await say(first.support, 'Where is my order GW-10004?');
    expect(status).toMatchObject({ mode: 'routed', agent: 'orders', toolCalls: [] });
    expect(status.reply).toMatch(/order number.*email/i);
    const refund = await say(first.support, 'I want to return my thermostat, it is not compatible');
    expect(refund).toMatchObject({ agent: 'returns', toolCalls: [] });
    const wrong = await say(first.support, 'Order GW-10001, email a@example.com');
    expect(wrong).toMatchObject({ refused: true, escalated: false });
    expect(
      await say(first.support, 'Order GW-10001, email b@example.com', wrong.conversationId),
    ).toMatchObject({ refused: true, escalated: false });
    await first.close();

    const second = await openSupportApp({ dataDir });
    cleanups.push(second.close);
    // Only the email and the order number: the intent of the first turn is what is answered.
    const answered = await say(
      second.support,
      'my email is maya.patel@example.com and the order is GW-10004',
      status.conversationId,
    );
    expect(answered.toolCalls.map((call) => call.name)).toEqual(['verify_customer', 'shipment_status']);
    expect(answered.reply).toContain('in transit');

    const returned = await say(
      second.support,
      'My order is GW-10001 and my email is maya.patel@example.com',
      refund.conversationId,
    );
    // The return is stated and waits for the customer's yes (issue 20); the yes opens it.
    expect(returned).toMatchObject({ agent: 'returns', refused: false });
    expect(returned.toolCalls.map((call) => call.name)).toEqual(['verify_customer']);
    expect(returned.reply).toContain('$199.00');
    expect(returned.pendingAction?.toolName).toBe('start_return');
    const confirmed = await say(second.support, 'yes', refund.conversationId);
    expect(confirmed.toolCalls.map((call) => call.name)).toEqual(['start_return']);
    // The reason the customer gave before the restart is the one recorded with the return.
    const { rows } = await second.app.db.query<{ reason: string }>(
      `SELECT reason FROM support_returns WHERE tenant_id = $1 AND order_number = 'GW-10001'`,
      [TENANT],
    );
    expect(rows).toEqual([{ reason: 'I want to return my thermostat, it is not compatible' }]);

    // The third failed verification escalates, although the first two happened in the old process.
    const third = await say(second.support, 'Order GW-10001, email c@example.com', wrong.conversationId);
    expect(third).toMatchObject({ agent: 'human', escalated: true, mode: 'human' });
    const [parked] = await second.app.inbox.list(TENANT);
    expect(parked).toMatchObject({ conversationId: wrong.conversationId, trigger: 'repeated-failure' });

    // One row, in the conversation's tenant, holds the count (the verification limits', which the
    // policy follows), and the conversation is locked.
    const { rows: states } = await second.app.db.query<{ tenant: string; failures: number; locked: boolean }>(
      `SELECT tenant_id AS tenant, failures, locked_until IS NOT NULL AS locked FROM support_verification_limits
       WHERE dimension = 'conversation' AND subject = $1`,
      [wrong.conversationId],
    );
    expect(states).toEqual([{ tenant: TENANT, failures: 3, locked: true }]);
  }, 180_000);
});
