import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedSupportStore } from '../store/seed.ts';
import { openSupportApp } from '../testing.ts';

// Held-out utterances for the consent rules of the no-LLM policy (issue 20): a state-changing action
// is only ever proposed for a plain request, stated exactly, and run only on an explicit yes in the
// customer's next turn.
const TENANT = 'demo';
let opened: Awaited<ReturnType<typeof openSupportApp>>;
beforeAll(async () => {
  opened = await openSupportApp({});
  await seedSupportStore(opened.app.db, { tenantId: TENANT });
});
afterAll(() => opened.close());

const say = (message: string, conversationId?: string) =>
  opened.support.turn({ tenantId: TENANT, message, ...(conversationId ? { conversationId } : {}) });

async function returnsCount(): Promise<number> {
  const { rows } = await opened.app.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM support_returns WHERE tenant_id = $1',
    [TENANT],
  );
  return rows[0]?.n ?? 0;
}

async function pendingCount(conversationId: string): Promise<number> {
  const { rows } = await opened.app.db.query<{ n: number }>(
    'SELECT count(*)::int AS n FROM agent_pending_actions WHERE tenant_id = $1 AND conversation_id = $2',
    [TENANT, conversationId],
  );
  return rows[0]?.n ?? 0;
}

/** A conversation whose customer (Maya) is verified. */
async function verified(): Promise<string> {
  const turn = await say('Where is my order GW-10004? My email is maya.patel@example.com');
  expect(turn.toolCalls.map((call) => call.name)).toContain('verify_customer');
  return turn.conversationId;
}

const OPENED = /\b(have opened|opened return|return \d+ (is|was) open)/i;

describe('routed mode: mentions that are not requests never propose an action', () => {
  const utterances = [
    'if I return the camera, who pays shipping?',
    'I do NOT want to return anything',
    "if it doesn't arrive by Friday I want to cancel",
    'What happens if I return order GW-10001?',
    'Suppose I sent the thermostat from GW-10001 back, would I get the whole amount?',
    "I'm not returning GW-10001, I just wondered how long the window is",
    'Can I return GW-10001?',
    "I don't want a refund for GW-10002, the cameras are great",
    'Would I have to pay postage to return order GW-10001?',
    'In case the router breaks, could I send it back for a refund?',
    'never mind the return for GW-10001',
  ];
  for (const text of utterances) {
    it(`"${text}"`, async () => {
      const conversationId = await verified();
      const before = await returnsCount();
      const turn = await say(text, conversationId);
      expect(turn.toolCalls.map((call) => call.name)).not.toContain('start_return');
      expect(turn.reply).not.toMatch(OPENED);
      expect(turn.reply).not.toMatch(/reply "?yes"?/i);
      expect(turn.escalated).toBe(false);
      expect(await pendingCount(conversationId)).toBe(0);
      // Even a yes right after it has nothing to confirm.
      const after = await say('yes', conversationId);
      expect(after.toolCalls.map((call) => call.name)).not.toContain('start_return');
      expect(await returnsCount()).toBe(before);
    });
  }
});

describe('routed mode: a request is stated exactly and waits for an explicit yes', () => {
  it('states the item, amount and refund method, stores the action, and runs it on "yes"', async () => {
    const conversationId = await verified();
    const before = await returnsCount();
    const proposed = await say('I want to return order GW-10001, it is not compatible', conversationId);
    expect(proposed.toolCalls.map((call) => call.name)).not.toContain('start_return');
    expect(proposed.reply).toContain('GW-10001');
    expect(proposed.reply).toContain('$199.00');
    expect(proposed.reply).toMatch(/Lumen/);
    expect(proposed.reply).toMatch(/original payment method/i);
    expect(proposed.reply).toMatch(/yes/i);
    expect(proposed.reply).not.toMatch(OPENED);
    expect(await pendingCount(conversationId)).toBe(1);
    expect(await returnsCount()).toBe(before);

    const confirmed = await say('Yes please', conversationId);
    expect(confirmed.toolCalls.map((call) => call.name)).toEqual(['start_return']);
    expect(confirmed.reply).toMatch(OPENED);
    expect(await returnsCount()).toBe(before + 1);
    expect(await pendingCount(conversationId)).toBe(0);
    const { rows } = await opened.app.db.query<{ reason: string }>(
      'SELECT reason FROM support_returns WHERE tenant_id = $1 ORDER BY id DESC LIMIT 1',
      [TENANT],
    );
    expect(rows[0]?.reason).toContain('not compatible');
    // Later tests ask about the same order again.
    await opened.app.db.query('DELETE FROM support_returns WHERE tenant_id = $1 AND id > 0', [TENANT]);
  });

  const notYes = [
    'no',
    'No, leave it',
    'how long does the refund take?',
    'yes but only if shipping is free',
    'hmm, let me think',
    'where is my order GW-10004?',
    'maybe',
    'yes?',
  ];
  for (const answer of notYes) {
    it(`does not run on "${answer}", nor on a later yes`, async () => {
      const conversationId = await verified();
      const before = await returnsCount();
      await say('Please return GW-10001 for a refund', conversationId);
      expect(await pendingCount(conversationId)).toBe(1);
      const turn = await say(answer, conversationId);
      expect(turn.toolCalls.map((call) => call.name)).not.toContain('start_return');
      expect(turn.reply).not.toMatch(OPENED);
      expect(await pendingCount(conversationId)).toBe(0);
      const late = await say('yes', conversationId);
      expect(late.toolCalls.map((call) => call.name)).not.toContain('start_return');
      expect(await returnsCount()).toBe(before);
    });
  }

  it('an ineligible request is refused without proposing anything', async () => {
    const conversationId = await verified();
    const turn = await say('I want to return order GW-10003 for a refund', conversationId);
    expect(turn.reply).toContain('outside the 30-day return window');
    expect(turn.refused).toBe(true);
    expect(await pendingCount(conversationId)).toBe(0);
  });
});
