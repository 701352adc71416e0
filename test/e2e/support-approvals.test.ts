/**
 * The support chat and approvals in Chromium against a real server that mounts the support app
 * (agents on the scripted model, orders seeded): a plain question is answered with its mode label and
 * a cited source; a refund above the limit waits for approval in the customer's chat; two operators
 * approve it at the same moment, exactly one wins and the other is told; the customer sees the
 * decision and the completed refund without a reload. A customer sees no approvals page, and the API
 * refuses them the list.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastToolResults } from '../../apps/support/testing.ts';
import { chromiumAvailable, startWebHarness, type WebHarness } from '../../src/testing/web-harness.ts';

const SCREENSHOTS = path.resolve(
  process.env.GROUNDWORK_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'groundwork-screenshots'),
);
mkdirSync(SCREENSHOTS, { recursive: true });

describe.runIf(chromiumAvailable())('support chat and approvals in Chromium', () => {
  let harness: WebHarness;

  const key = async (role: 'customer' | 'operator', name: string) =>
    (await harness.app.keys.create({ tenantId: 'default', name, role }, { actor: 'test' })).secret;

  const openAs = async (secret: string, where = '/') => {
    const page = await harness.browser.newPage({ viewport: { width: 1180, height: 820 } });
    await page.goto(`${harness.url}${where}`);
    await page.getByLabel('API key').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    return page;
  };

  const send = async (page: Page, text: string) => {
    await page.getByLabel('Your question').fill(text);
    await page.keyboard.press('Enter');
  };

  beforeAll(async () => {
    harness = await startWebHarness({}, { support: true });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('answers in the support chat, and a refund waits for an operator’s approval, shown live', async () => {
    const customerKey = await key('customer', 'e2e customer');
    const customer = await openAs(customerKey);
    await customer.getByRole('heading', { name: 'Ask our support team' }).waitFor();
    // Customers get no approvals page, by navigation or by address, and the API refuses them.
    await expect(customer.getByRole('link', { name: 'Approvals' }).count()).resolves.toBe(0);
    const refused = await customer.evaluate(
      async (secret) =>
        (await fetch('/v1/support/approvals', { headers: { authorization: `Bearer ${secret}` } })).status,
      customerKey,
    );
    expect(refused).toBe(403);

    // A plain question: triage hands over to the FAQ agent, which searches and cites a passage.
    harness.replies.push(
      { toolCalls: [{ toolName: 'transfer_to_faq', input: { reason: 'Returns policy.' } }] },
      { toolCalls: [{ toolName: 'search_faq', input: { query: 'return window thermostat days' } }] },
      { text: 'You can return a thermostat within 30 days of delivery [1].' },
    );
    const first = customer.waitForRequest((request) => request.url().endsWith('/v1/support/messages'));
    await send(customer, 'How long do I have to return a thermostat?');
    expect((await first).postDataJSON()).toEqual({ message: 'How long do I have to return a thermostat?' });
    const plain = customer.locator('.message-support[data-status="done"]').first();
    await plain.waitFor();
    await expect(plain.locator('.mode-label').textContent()).resolves.toBe('Agents · triage → faq');
    await expect(plain.locator('.answer-text').textContent()).resolves.toContain('within 30 days');
    await expect(plain.locator('.chip').count()).resolves.toBeGreaterThan(0);

    // A refund above the $500 limit: the orders agent verifies the customer and asks to start it.
    harness.replies.push(
      { toolCalls: [{ toolName: 'transfer_to_orders', input: { reason: 'Refund.' } }] },
      {
        toolCalls: [
          {
            toolName: 'verify_customer',
            input: { orderNumber: 'GW-10002', email: 'maya.patel@example.com' },
          },
        ],
      },
      {
        toolCalls: [
          { toolName: 'start_return', input: { orderNumber: 'GW-10002', reason: 'Too many cameras.' } },
        ],
      },
    );
    const second = customer.waitForRequest((request) => request.url().endsWith('/v1/support/messages'));
    await send(
      customer,
      'Please refund order GW-10002, too many cameras. My email is maya.patel@example.com',
    );
    // The follow-up continues the same conversation.
    expect((await second).postDataJSON()).toMatchObject({ conversationId: expect.stringMatching(/\S/) });
    // Nothing is opened yet: the runtime states the exact return and waits for a yes (ADR 0087).
    const refundTurn = customer.locator('.message-support[data-status="done"]').nth(1);
    await refundTurn.waitFor();
    await expect(refundTurn.textContent()).resolves.toContain('$649.00');
    await expect(refundTurn.locator('.mode-label').textContent()).resolves.toBe('Agents · triage → orders');
    await expect(customer.locator('.approval-pending').count()).resolves.toBe(0);
    await send(customer, 'Yes, go ahead');
    const pending = customer.locator('.approval-pending');
    await pending.waitFor();
    await expect(pending.textContent()).resolves.toContain(
      'a person needs to approve this refund (order GW-10002)',
    );

    // Two operators see it on their approvals page, with the customer, the refund and the reason.
    const alice = await openAs(await key('operator', 'alice'), '/approvals');
    const bob = await openAs(await key('operator', 'bob'), '/approvals');
    for (const page of [alice, bob]) {
      const card = page.locator('.approval');
      await card.waitFor();
      await expect(card.locator('h2').textContent()).resolves.toBe('Refund $649.00 for order GW-10002');
      await expect(card.locator('.approval-customer').textContent()).resolves.toBe(
        'Maya Patel <maya.patel@example.com>',
      );
      await expect(card.locator('.approval-reason').textContent()).resolves.toContain('Too many cameras.');
      await expect(card.locator('.approval-waiting').textContent()).resolves.toMatch(/^waiting \d+ (s|min)$/);
    }
    const nav = await alice.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Chat', 'Inbox', 'Approvals', 'Traces', 'Feedback']);
    await alice.getByLabel('Reason (optional)').fill('Checked the order.');
    await alice.screenshot({ path: path.join(SCREENSHOTS, 'approval-request.png') });

    // After the approval, the orders agent confirms from the tool's result.
    harness.replies.push((call) => {
      const started = lastToolResults(call).start_return as { returnId: number; refundAmount: number };
      return {
        text: `Return ${started.returnId} is approved; $${started.refundAmount.toFixed(2)} will be refunded.`,
      };
    });
    // Both approve; the requests are held until both are on their way, so they truly race.
    const held: Route[] = [];
    let release: () => void = () => {};
    const bothSent = new Promise<void>((resolve) => {
      release = resolve;
    });
    const hold = async (route: Route) => {
      held.push(route);
      if (held.length === 2) release();
      await bothSent;
      await route.continue();
    };
    await alice.route('**/approve', hold);
    await bob.route('**/approve', hold);
    await Promise.all([alice, bob].map((page) => page.getByRole('button', { name: 'Approve' }).click()));
    const outcome = async (page: Page) => {
      const notice = page.locator('.alert-success, .alert-info');
      await notice.waitFor();
      return (await page.locator('.alert-success').count()) > 0 ? 'won' : 'lost';
    };
    const results = await Promise.all([outcome(alice), outcome(bob)]);
    expect([...results].sort()).toEqual(['lost', 'won']);
    const [winner, loser] = results[0] === 'won' ? [alice, bob] : [bob, alice];
    await expect(winner.locator('.alert-success').textContent()).resolves.toMatch(
      /^Approved: Refund \$649\.00 for order GW-10002\. The customer was told: “Return \d+ is approved/,
    );
    await expect(loser.locator('.alert-info').textContent()).resolves.toMatch(/Someone else already decided/);
    for (const page of [winner, loser]) await page.getByText('Nothing is waiting for approval.').waitFor();

    // The customer's open chat shows the decision and the outcome, once each, without a reload.
    await customer.locator('.chat-notice', { hasText: 'A team member approved your request.' }).waitFor();
    const followUp = customer.locator('.message-support[data-mode="follow-up"]');
    await followUp.waitFor();
    await expect(followUp.textContent()).resolves.toMatch(
      /Return \d+ is approved; \$649\.00 will be refunded\./,
    );
    await customer.locator('.approval-decided').waitFor();
    await expect(customer.locator('.approval-pending').count()).resolves.toBe(0);
    // Later polls bring nothing twice: four replies in all (three turns and the outcome).
    await customer.waitForResponse((response) => response.url().includes('/messages?after='));
    await customer.waitForResponse((response) => response.url().includes('/messages?after='));
    await expect(customer.locator('.message-support').count()).resolves.toBe(4);
    await expect(customer.locator('.chat-notice').count()).resolves.toBe(1);
    await customer.screenshot({ path: path.join(SCREENSHOTS, 'support-chat.png') });
    for (const page of [customer, alice, bob]) await page.close();
  });
});
