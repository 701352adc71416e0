/**
 * The LLMOps pages in Chromium against a real server: an admin asks a question, finds its trace by
 * searching and opens the waterfall; rates the answer down with a comment, and finds it on the
 * feedback review page with a link back to the trace; the usage page charts cost and tokens; the
 * prompts page diffs two versions, promotes and rolls back, and shows an experiment's arms.
 */
import { mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertAnswer } from '../../src/store/answers.ts';
import { chromiumAvailable, startWebHarness, type WebHarness } from '../../src/testing/web-harness.ts';

const SCREENSHOTS = path.resolve(
  process.env.GROUNDWORK_SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'groundwork-screenshots'),
);
mkdirSync(SCREENSHOTS, { recursive: true });

describe.runIf(chromiumAvailable())('LLMOps pages in Chromium', () => {
  let harness: WebHarness;
  let page: Page;

  const signIn = async (target: Page, role: 'customer' | 'operator' | 'admin', where = '/') => {
    const { secret } = await harness.app.keys.create(
      { tenantId: 'default', name: `e2e ${role}`, role },
      { actor: 'test' },
    );
    await target.goto(`${harness.url}${where}`);
    await target.getByLabel('API key').fill(secret);
    await target.getByRole('button', { name: 'Sign in' }).click();
    await target.getByRole('navigation', { name: 'Main' }).waitFor();
  };

  beforeAll(async () => {
    harness = await startWebHarness({
      prices: { 'test:scripted': { inputPerMillion: 3, outputPerMillion: 15 } },
    });
    page = await harness.browser.newPage({ viewport: { width: 1280, height: 820 } });
    await signIn(page, 'admin');
    harness.replies.push({ text: 'Routers can be returned within 30 days of delivery [1].', chunkSize: 8 });
    await page.getByLabel('Your question').fill('Can I return a router?');
    await page.keyboard.press('Enter');
    await page.locator('.message-assistant[data-status="done"]').waitFor();
  });
  afterAll(async () => {
    await page?.close();
    await harness?.close();
  });

  it('finds the trace of a question and shows its spans as a waterfall', async () => {
    await page.getByRole('link', { name: 'Traces', exact: true }).click();
    await page.getByLabel('Route').fill('/v1/chat');
    await page.getByLabel('Status').selectOption('ok');
    await page.getByLabel('Min latency (ms)').fill('0');
    // Spans reach the store about a second after the request ends: search until it is there.
    const row = page.locator('table.trace-list tbody tr', { hasText: '/v1/chat' }).first();
    for (let attempt = 0; attempt < 20 && (await row.count()) === 0; attempt++) {
      await page.getByRole('button', { name: 'Search' }).click();
      await page.waitForTimeout(500);
    }
    await row.getByRole('link').click();
    await page.locator('.waterfall-row').first().waitFor();
    await expect(page.locator('h1').textContent()).resolves.toBe('/v1/chat');
    const rows = page.locator('.waterfall-row');
    expect(await rows.count()).toBeGreaterThan(2);
    // Bars sit on the time axis: the root starts at 0 and spans the whole trace.
    const root = await rows
      .first()
      .locator('.span-bar')
      .evaluate((bar) => (bar as { style: { left: string } }).style.left);
    expect(root).toBe('0%');
    // Child spans are indented under their parent.
    const indents = await page
      .locator('.span-name')
      .evaluateAll((names) =>
        names.map((name) => (name as { style: { paddingLeft: string } }).style.paddingLeft),
      );
    expect(new Set(indents).size).toBeGreaterThan(1);
    // The model call shows its tokens and, next to them, its cost (test:scripted is priced here).
    const model = rows.filter({ hasText: 'tok' }).first();
    await expect(model.textContent()).resolves.toMatch(/\d+→\d+ tok · \$\d/);
    await expect(page.locator('.trace-facts').textContent()).resolves.toMatch(/Cost\$\d/);
    await model.locator('.waterfall-line').click();
    await expect(model.locator('.span-attributes').textContent()).resolves.toContain(
      'gen_ai.usage.input_tokens',
    );
    await page.screenshot({ path: path.join(SCREENSHOTS, 'trace-waterfall.png'), fullPage: true });
  });

  it('charts cost and tokens over the last week by model', async () => {
    await seedWeekOfAnswers(harness);
    const usageRequests: string[] = [];
    const onRequest = (request: { url(): string }) => {
      if (request.url().includes('/v1/usage')) usageRequests.push(request.url());
    };
    page.on('request', onRequest);
    await page.getByRole('link', { name: 'Usage', exact: true }).click();
    await page.locator('.time-chart canvas').first().waitFor();
    page.off('request', onRequest);
    // One request brings the week's totals and its seven daily buckets.
    expect(usageRequests).toHaveLength(1);
    expect(usageRequests[0]).toContain('bucket=day');
    await expect(page.locator('.time-chart').count()).resolves.toBe(3);
    const byModel = page.locator('table.usage-table').first();
    await expect(byModel.textContent()).resolves.toContain('openai:gpt-4o-mini');
    await expect(byModel.textContent()).resolves.toContain('anthropic:claude-3-5-haiku');
    // The legend names each model's line.
    await expect(page.locator('.time-chart').first().textContent()).resolves.toContain('openai:gpt-4o-mini');
    await expect(page.locator('.usage-totals').textContent()).resolves.toMatch(/Cost\$\d/);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'usage-cost.png'), fullPage: true });
  });

  it('lists an answer rated down on the feedback page, with its trace', async () => {
    await page.getByRole('link', { name: 'Chat', exact: true }).click();
    const answer = page.locator('.message-assistant[data-status="done"]').first();
    await answer.getByRole('button', { name: 'Not helpful' }).click();
    await answer
      .getByLabel('What was wrong? (optional)')
      .fill('It does not say who pays the return shipping.');
    await answer.getByRole('button', { name: 'Send feedback' }).click();
    await answer.getByText('Thanks for the feedback.').waitFor();

    await page.getByRole('link', { name: 'Feedback', exact: true }).click();
    const item = page.locator('.feedback-list li').first();
    await item.waitFor();
    await expect(item.textContent()).resolves.toContain('who pays the return shipping');
    await expect(item.textContent()).resolves.toContain('Can I return a router?');
    await item.getByRole('link', { name: 'Open the trace' }).click();
    await page.locator('.waterfall-row').first().waitFor();
  });
  it('diffs two prompt versions, promotes one and rolls it back, and shows an experiment', async () => {
    const first = await harness.app.prompts.version('default', 'rag.system', 1);
    const lines = first.template.split('\n');
    lines.splice(1, 1, 'Answer in at most three sentences, citing every statement.');
    await harness.app.prompts.create(
      'default',
      { name: 'rag.system', template: lines.join('\n'), variables: first.variables, note: 'Shorter answers' },
      'test',
    );
    await harness.app.experiments.create('default', {
      name: 'Shorter answers',
      promptName: 'rag.system',
      arms: [
        { name: 'control', version: 1, weight: 1 },
        { name: 'short', version: 2, weight: 1 },
      ],
    });
    await page.getByRole('link', { name: 'Prompts', exact: true }).click();
    await page.getByRole('link', { name: 'rag.system' }).click();
    // Production runs v1; the diff to the newest version shows the changed line both ways.
    await page.locator('.prompt-diff').waitFor();
    await expect(page.locator('.diff-added').textContent()).resolves.toContain('at most three sentences');
    await expect(page.locator('.diff-removed').count()).resolves.toBe(1);
    await page.getByRole('button', { name: 'Promote v2 to production' }).click();
    await page.getByText('production now points at v2 (was v1).').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'prompt-diff.png'), fullPage: true });
    await page.getByRole('button', { name: 'Roll production back' }).click();
    await page.getByText('production now points at v1').waitFor();
    expect((await harness.app.prompts.show('default', 'rag.system')).labels.production).toBe(1);
    // The experiment's arms, with their outcomes so far.
    await page.getByRole('link', { name: '← Prompts' }).click();
    await page.getByRole('button', { name: /Shorter answers/ }).click();
    const results = page.locator('.experiment-results table');
    await results.waitFor();
    await expect(results.textContent()).resolves.toContain('short');
    await expect(results.locator('tbody tr').count()).resolves.toBe(2);
  });
});

/** A week of answers by two models in the answer log, a few a day, as if they had been asked then. */
async function seedWeekOfAnswers(harness: WebHarness) {
  const models = [
    { model: 'openai:gpt-4o-mini', input: 900, output: 160, price: [0.15, 0.6] },
    { model: 'anthropic:claude-3-5-haiku', input: 1100, output: 220, price: [0.8, 4] },
  ] as const;
  for (let day = 6; day >= 0; day--) {
    for (const [index, entry] of models.entries()) {
      const count = 3 + ((day * 7 + index * 3) % 5);
      for (let n = 0; n < count; n++) {
        const id = `seed${day}${index}${n}`.padEnd(32, '0');
        const inputTokens = entry.input + n * 40;
        const outputTokens = entry.output + day * 10;
        await insertAnswer(harness.app.db, {
          id,
          tenantId: 'default',
          userId: 'key:seed',
          conversationId: null,
          question: 'Seeded question',
          answer: 'Seeded answer',
          citations: [],
          mode: 'generative',
          model: entry.model,
          promptName: 'rag.system',
          promptVersion: 1,
          experimentId: null,
          experimentArm: null,
          inputTokens,
          outputTokens,
          costUsd: (inputTokens * entry.price[0] + outputTokens * entry.price[1]) / 1e6,
          priced: true,
          latencyMs: 800,
        });
        await harness.app.db.query(
          `UPDATE answers SET created_at = now() - make_interval(days => $2, hours => $3) WHERE id = $1`,
          [id, day, n],
        );
      }
    }
  }
}
