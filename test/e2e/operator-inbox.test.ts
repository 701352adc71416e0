/**
 * The operator inbox in Chromium against a real server: a customer's conversation is escalated
 * (through `app.inbox`, as the agent runner does), appears in two operators' inboxes live, both
 * claim it at the same moment and exactly one wins, the winner replies as a person, and the
 * customer's open chat shows the reply, labelled human, without a reload.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appendMessage } from '../../src/store/conversations.ts';
import { chromiumAvailable, startWebHarness, type WebHarness } from '../../src/testing/web-harness.ts';

const SCREENSHOTS = path.resolve(
  process.env.GROUNDWORK_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'groundwork-screenshots'),
);
mkdirSync(SCREENSHOTS, { recursive: true });

describe.runIf(chromiumAvailable())('operator inbox in Chromium', () => {
  let harness: WebHarness;

  const key = async (role: 'customer' | 'operator', name: string) =>
    (await harness.app.keys.create({ tenantId: 'default', name, role }, { actor: 'test' })).secret;

  const openAs = async (secret: string, where = '/') => {
    const page = await harness.browser.newPage({ viewport: { width: 1280, height: 820 } });
    await page.goto(`${harness.url}${where}`);
    await page.getByLabel('API key').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
    return page;
  };

  beforeAll(async () => {
    harness = await startWebHarness();
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('lets one of two operators claim, reply as a person, and the customer sees it live', async () => {
    const customer = await openAs(await key('customer', 'e2e customer'));
    // A customer sees no inbox.
    await expect(customer.getByRole('link', { name: 'Inbox' }).count()).resolves.toBe(0);
    const opened = customer.waitForResponse((response) => response.url().endsWith('/v1/chat'));
    await customer.getByLabel('Your question').fill('I was charged twice for order GW-10006.');
    await customer.keyboard.press('Enter');
    const conversationId = (await opened).headers()['groundwork-conversation-id'];
    expect(conversationId).toMatch(/\S/);
    await customer.locator('.message-assistant[data-status="done"]').waitFor();

    // Two operators watch the inbox before anything is escalated.
    const alice = await openAs(await key('operator', 'alice'), '/inbox');
    const bob = await openAs(await key('operator', 'bob'), '/inbox');
    for (const page of [alice, bob]) await page.locator('.live-on').waitFor();
    // Operators see the operator pages, not the admin ones.
    const nav = await alice.getByRole('navigation', { name: 'Main' }).getByRole('link').allTextContents();
    expect(nav).toEqual(['Chat', 'Inbox', 'Traces', 'Feedback']);

    // The agents looked the order up before asking for a person.
    await harness.app.db.transaction((tx) =>
      appendMessage(tx, 'default', conversationId!, {
        role: 'tool',
        content: 'order_lookup',
        details: { toolName: 'order_lookup', input: { orderNumber: 'GW-10006' }, output: { charges: 2 } },
      }),
    );
    await harness.app.inbox.escalate({
      tenantId: 'default',
      conversationId: conversationId!,
      trigger: 'customer-request',
      reason: 'Double charge on an order',
      notes: [{ agent: 'billing', text: 'Two captures of 49 EUR on GW-10006.' }],
      customer: { customerId: 'cust-7', name: 'Maya Lindqvist', verifiedBy: 'session' },
      customerContext: { plan: 'pro', language: 'en' },
    });
    // Both inboxes show it without a reload; each operator opens it.
    for (const page of [alice, bob]) {
      await page.getByRole('link', { name: /Double charge on an order/ }).click();
      await page.getByRole('heading', { name: 'Double charge on an order' }).waitFor();
      await expect(page.locator('.notes').first().textContent()).resolves.toContain('Two captures');
      await expect(page.locator('.context').textContent()).resolves.toContain('pro');
      await expect(page.locator('.transcript-log').textContent()).resolves.toContain('charged twice');
      await expect(page.locator('.log-tool').textContent()).resolves.toContain('order_lookup');
    }

    // Both click Claim; the requests are held until both are on their way, so they truly race.
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
    await alice.route('**/claim', hold);
    await bob.route('**/claim', hold);
    await Promise.all([alice, bob].map((page) => page.getByRole('button', { name: 'Claim' }).click()));
    const outcome = async (page: Page) => {
      await page.locator('.holder-me, .alert-error').first().waitFor();
      return (await page.locator('.holder-me').count()) > 0 ? 'won' : 'lost';
    };
    const results = await Promise.all([outcome(alice), outcome(bob)]);
    expect([...results].sort()).toEqual(['lost', 'won']);
    const winner = results[0] === 'won' ? alice : bob;
    const loser = winner === alice ? bob : alice;
    await expect(loser.getByRole('alert').textContent()).resolves.toMatch(/another operator claimed/i);
    await expect(loser.locator('.holder').textContent()).resolves.toMatch(/Handled by another operator/);
    await expect(loser.getByRole('button', { name: 'Claim' }).count()).resolves.toBe(0);

    // The customer is told a person joined; then the person's reply arrives, labelled human.
    await customer.locator('.chat-notice', { hasText: 'A person has joined' }).waitFor();
    const reply = 'Hi, I am Dana from billing. I have refunded the second charge.';
    await winner.getByLabel('Reply to the customer as a person').fill(reply);
    await winner.getByRole('button', { name: 'Send reply' }).click();
    await winner.locator('.log-operator', { hasText: 'refunded the second charge' }).waitFor();
    const person = customer.locator('.message-person');
    await person.waitFor();
    await expect(person.locator('.mode-label').textContent()).resolves.toBe('Human');
    await expect(person.textContent()).resolves.toContain(reply);
    await customer.locator('.with-person').waitFor();
    // The other operator's open view follows along (events), without a reload.
    await loser.locator('.log-operator', { hasText: 'refunded the second charge' }).waitFor();
    await winner.screenshot({ path: path.join(SCREENSHOTS, 'inbox-claimed.png') });
    await customer.screenshot({ path: path.join(SCREENSHOTS, 'chat-human-reply.png') });

    // Handing back tells the customer and empties the inbox.
    await winner.getByRole('button', { name: 'Hand back to the assistant' }).click();
    await customer.locator('.chat-notice', { hasText: 'assistant is back' }).waitFor();
    await winner.locator('.escalations').waitFor({ state: 'detached' });
    for (const page of [customer, alice, bob]) await page.close();
  });
});
