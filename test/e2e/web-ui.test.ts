/**
 * The web UI in a real browser: Chromium (playwright-core) against a real groundwork server over
 * PGlite with the demo knowledge base and a scripted model. Screenshots go to a temporary folder, or
 * to GROUNDWORK_SCREENSHOTS_DIR (`GROUNDWORK_SCREENSHOTS_DIR=docs/screenshots` refreshes the docs' ones).
 * Without Chromium the suite is skipped with a message, except on CI, where that is a failure.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROMIUM_PATH,
  chromiumAvailable,
  startWebHarness,
  type WebHarness,
} from '../../src/testing/web-harness.ts';

// Written every run, so not into the working tree unless asked (a test run must leave it clean).
const SCREENSHOTS = path.resolve(
  process.env.GROUNDWORK_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'groundwork-screenshots'),
);
mkdirSync(SCREENSHOTS, { recursive: true });
/** A 4-page text PDF from the shared samples (read in place; never copied into the repository). */
const PDF_SAMPLE = path.resolve(
  import.meta.dirname,
  '../../../shared/data/pdf-samples/py-pdf-sample-files/004-pdflatex-4-pages__pdflatex-4-pages.pdf',
);
const onCI = process.env.CI === 'true';
const available = chromiumAvailable();

if (!available && !onCI) {
  console.warn(`web UI browser tests skipped: no Chromium at ${CHROMIUM_PATH} (apt-get install chromium).`);
}

describe.runIf(!available && onCI)('web UI in Chromium (CI)', () => {
  it('has Chromium installed', () => {
    expect.fail(`CI must run the browser tests: no Chromium at ${CHROMIUM_PATH} (.ci/run installs it).`);
  });
});

/** A small text PDF to upload: the shared samples when present, else one written here. */
function samplePdf(): { name: string; buffer: Buffer } {
  if (existsSync(PDF_SAMPLE)) return { name: 'pdflatex-4-pages.pdf', buffer: readFileSync(PDF_SAMPLE) };
  return { name: 'router-faq.pdf', buffer: minimalPdf('Aurora routers restart after a firmware update.') };
}

describe.runIf(available)('web UI in Chromium', () => {
  let harness: WebHarness;
  let adminKey: string;

  const key = async (role: 'customer' | 'admin', name: string) => {
    const issued = await harness.app.keys.create({ tenantId: 'default', name, role }, { actor: 'test' });
    return issued;
  };

  const signIn = async (page: Page, secret: string) => {
    await page.getByLabel('API key').fill(secret);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  };

  beforeAll(async () => {
    // A small upload limit, so the oversized-file check needs no big buffer.
    harness = await startWebHarness({ limits: { maxFileBytes: 256 * 1024 } });
    adminKey = (await key('admin', 'e2e admin')).secret;
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('lets a customer ask, streams the answer and opens a cited passage', async () => {
    const customer = await key('customer', 'e2e customer');
    harness.replies.push({
      text: 'Thermostats can be returned within 30 days of delivery [1], in their original packaging.',
      chunkSize: 6,
      delayMs: 150,
    });
    const page = await harness.browser.newPage({ viewport: { width: 1200, height: 760 } });
    await page.goto(harness.url);
    await signIn(page, customer.secret);
    // A customer sees the chat and nothing of the admin console.
    await expect(page.getByRole('link', { name: 'Knowledge' }).count()).resolves.toBe(0);
    await page.getByLabel('Your question').fill('How long do I have to return a thermostat?');
    await page.keyboard.press('Enter');
    const answer = page.locator('.message-assistant[data-status="done"]');
    await answer.waitFor();
    await expect(answer.locator('.mode-label').textContent()).resolves.toMatch(/generated/i);
    await expect(answer.locator('.answer-text').textContent()).resolves.toContain('within 30 days');
    await answer.locator('.chip').first().click();
    const drawer = page.getByRole('dialog');
    await expect(drawer.locator('h2').textContent()).resolves.toMatch(/^\[1\] /);
    await expect(drawer.locator('.citation-snippet').textContent()).resolves.toMatch(/\S/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'chat-citation.png') });
    await page.keyboard.press('Escape');
    await expect(drawer.count()).resolves.toBe(0);
    // A follow-up is a turn of the same stored conversation.
    const followUp = page.waitForRequest((request) => request.url().endsWith('/v1/chat'));
    await page.getByLabel('Your question').fill('And for a router?');
    await page.keyboard.press('Enter');
    const body = (await followUp).postDataJSON() as { conversationId?: string };
    expect(body.conversationId).toMatch(/\S/);
    await page.locator('.message-assistant[data-status="done"]').nth(1).waitFor();
    await page.close();
  });

  it('lets an admin upload a PDF and an unsupported file and watch the job finish', async () => {
    const page = await harness.browser.newPage({ viewport: { width: 1200, height: 900 } });
    await page.goto(`${harness.url}/admin/knowledge`);
    await signIn(page, adminKey);
    await expect(
      page
        .getByLabel('Upload a folder')
        .evaluate((input) => (input as { webkitdirectory?: boolean }).webkitdirectory),
    ).resolves.toBe(true);
    const pdf = samplePdf();
    await page.getByLabel('Upload files').setInputFiles([
      { name: pdf.name, mimeType: 'application/pdf', buffer: pdf.buffer },
      {
        name: 'blob.bin',
        mimeType: 'application/octet-stream',
        buffer: Buffer.from([0, 1, 2, 255, 254, 0, 9]),
      },
    ]);
    const job = page.locator('section.job').first();
    await job.locator('.status-done, .status-failed').waitFor({ timeout: 45_000 });
    await expect(job.getAttribute('data-status')).resolves.toBe('done');
    await expect(job.locator('table').textContent()).resolves.toContain('blob.bin');
    await page.locator('table.documents').getByRole('link', { name: /\S/ }).first().waitFor();
    await expect(page.locator('table.documents').textContent()).resolves.toContain(pdf.name);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'knowledge-admin.png'), fullPage: true });
    // Delete asks once more, then the document is gone from the list.
    const row = page.locator('table.documents tr', { hasText: pdf.name });
    await row.getByRole('button', { name: /^Delete / }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await row.waitFor({ state: 'detached' });
    // Too large: the API's own message is shown, and nothing is queued.
    await page
      .getByLabel('Upload files')
      .setInputFiles([{ name: 'huge.txt', mimeType: 'text/plain', buffer: Buffer.alloc(300 * 1024, 'a') }]);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('huge.txt is larger than');
    await page.close();
  });

  it('asks again after a dropped stream without showing the turn twice', async () => {
    const customer = await key('customer', 'e2e flaky network');
    const page = await harness.browser.newPage();
    let first = true;
    await page.route('**/v1/chat', async (route) => {
      if (!first) return route.continue();
      first = false;
      // The stream breaks after a few words: no `done` event.
      const partial =
        'event: retrieval-done\ndata: {"type":"retrieval-done","passages":3,"retrieveMs":4}\n\n' +
        'event: text-delta\ndata: {"type":"text-delta","delta":"Within 3"}\n\n';
      await route.fulfill({ status: 200, headers: { 'content-type': 'text/event-stream' }, body: partial });
    });
    await page.goto(harness.url);
    await signIn(page, customer.secret);
    await page.getByLabel('Your question').fill('How long is the return window?');
    await page.keyboard.press('Enter');
    await page.locator('.message-assistant[data-status="done"]').waitFor();
    await expect(page.locator('.message-user').count()).resolves.toBe(1);
    await expect(page.locator('.message-assistant').count()).resolves.toBe(1);
    await expect(page.locator('.answer-text').textContent()).resolves.toBe('Within 30 days 1.');
    await page.close();
  });

  it('returns to sign-in when the key is revoked, keeping the typed message', async () => {
    const customer = await key('customer', 'e2e short-lived');
    const page = await harness.browser.newPage();
    await page.goto(harness.url);
    await signIn(page, customer.secret);
    await harness.app.keys.revoke(customer.key.id, { actor: 'test' });
    const message = 'Can I return a router I opened?';
    await page.getByLabel('Your question').fill(message);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Sign in to groundwork' }).waitFor();
    await expect(page.getByRole('status').first().textContent()).resolves.toMatch(/revoked/i);
    await signIn(page, (await key('customer', 'e2e replacement')).secret);
    await expect(page.getByLabel('Your question').inputValue()).resolves.toBe(message);
    await page.close();
  });
});

/** A one-page PDF with `text` in Helvetica, cross-reference table and all. */
function minimalPdf(text: string): Buffer {
  const stream = `BT /F1 14 Tf 72 720 Td (${text}) Tj ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  objects.forEach((object, index) => {
    offsets.push(body.length);
    body += `${index + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) body += `${String(offset).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}
