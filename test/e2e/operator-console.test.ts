/**
 * The operator console in Chromium against a real server that mounts the support app (agents on the
 * scripted model): the navigation counts waiting cases live; a customer's message written while the
 * operator holds the case appears in the open case without a reload, marked unanswered, with the reply
 * box right under it; the operator clears the conversation's verification lockout; after hand-back
 * the assistant answers the held message; the handed-back case is taken over again, handed back and
 * closed, and the closed case stays viewable under its filter.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, startWebHarness, type WebHarness } from '../../src/testing/web-harness.ts';

const SCREENSHOTS = path.resolve(
  process.env.GROUNDWORK_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'groundwork-screenshots'),
);
mkdirSync(SCREENSHOTS, { recursive: true });

describe.runIf(chromiumAvailable())('operator console in Chromium', () => {
  let harness: WebHarness;

  const key = async (role: 'customer' | 'operator', name: string) =>
    (await harness.app.keys.create({ tenantId: 'default', name, role }, { actor: 'test' })).secret;

  beforeAll(async () => {
    harness = await startWebHarness({}, { support: true });
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('follows a held case live, clears a lockout, and keeps handed-back and closed cases workable', async () => {
    const customerKey = await key('customer', 'e2e customer');
    const say = async (message: string, conversationId?: string) => {
      const response = await fetch(`${harness.url}/v1/support/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${customerKey}`, 'content-type': 'application/json' },
        body: JSON.stringify({ message, ...(conversationId ? { conversationId } : {}) }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as { conversationId: string; mode: string };
    };

    const page = await harness.browser.newPage({ viewport: { width: 1280, height: 820 } });
    await page.goto(`${harness.url}/inbox`);
    await page.getByLabel('API key').fill(await key('operator', 'olga'));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('.live-on').waitFor();
    const inboxLink = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Inbox/ });
    await expect(inboxLink.locator('.nav-count').count()).resolves.toBe(0);

    // The assistant answers the first message, then asks for a person (as the agents' escalation does).
    harness.replies.push({ text: 'I will get a colleague for you.' });
    const { conversationId } = await say('My parcel never came, I want a person');
    const escalation = await harness.app.inbox.escalate({
      tenantId: 'default',
      conversationId,
      trigger: 'customer-request',
      reason: 'Parcel never arrived',
    });
    // The waiting count appears in the navigation without a reload.
    await inboxLink.locator('.nav-count', { hasText: '1' }).waitFor();
    await expect(inboxLink.getAttribute('aria-current')).resolves.toBe('page');

    await page.getByRole('link', { name: /Parcel never arrived/ }).click();
    await page.getByRole('button', { name: 'Claim' }).click();
    await page.locator('.holder-me').waitFor();
    await inboxLink.locator('.nav-count').waitFor({ state: 'detached' });

    // Held: the customer's message reaches the open case live, marked unanswered.
    expect((await say('Hello? It was due on Monday.', conversationId)).mode).toBe('human');
    const held = page.locator('.log-user.log-unanswered', { hasText: 'due on Monday' });
    await held.waitFor();
    // The reply box sits right under the newest message.
    const newest = await page.locator('.transcript-log li').last().boundingBox();
    const box = await page.getByLabel('Reply to the customer as a person').boundingBox();
    expect(box!.y - (newest!.y + newest!.height)).toBeLessThan(120);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'inbox-live-customer-message.png') });

    // A verification lockout of this conversation is shown and cleared from the case.
    await harness.app.db.query(
      `INSERT INTO support_verification_limits
         (tenant_id, dimension, subject, failures, last_failure_at, locked_at, locked_until)
       VALUES ('default', 'conversation', $1, 3, now(), now(), now() + interval '1 hour')`,
      [conversationId],
    );
    await page.reload();
    await page.getByRole('button', { name: 'Clear lockout' }).click();
    await page.getByText('Lockout cleared').waitFor();
    const { rows } = await harness.app.db.query(
      `SELECT 1 FROM support_verification_limits WHERE subject = $1`,
      [conversationId],
    );
    expect(rows).toEqual([]);

    // Hand-back: the assistant answers the held message, live in the open case.
    harness.replies.push({ text: 'Sorry for the wait: your parcel is on its way.' });
    await page.getByRole('button', { name: 'Hand back to the assistant' }).click();
    await page.locator('.log-assistant', { hasText: 'parcel is on its way' }).waitFor();
    await expect(page.locator('.log-unanswered').count()).resolves.toBe(0);

    // Handed-back cases have their filter; the case can be taken over again, then closed.
    await page.getByRole('button', { name: 'Handed back' }).click();
    await page.locator('.escalations li[data-status="returned"]').first().waitFor();
    await page.getByRole('button', { name: 'Take over again' }).click();
    await page.locator('.holder-me').waitFor();
    await page.getByRole('button', { name: 'Hand back to the assistant' }).click();
    await page.getByRole('button', { name: 'Take over again' }).waitFor();
    await page.getByRole('button', { name: 'Close', exact: true }).click();
    await page.locator('.holder-closed').waitFor();
    await page.getByRole('button', { name: 'Closed', exact: true }).click();
    await page.locator(`.escalations li[data-status="closed"] a[href="/inbox/${escalation.id}"]`).waitFor();
    await expect(page.locator('.transcript-log').textContent()).resolves.toContain('parcel is on its way');
    await page.close();
  });
});
