/**
 * The web UI's production bundle size and its time to first answer token in a real browser.
 *
 *   npx tsx bench/web-first-token.ts [--runs 20]
 *
 * Bundle: every file of web/dist, raw and gzipped at level 9 (what the server sends). First token:
 * Chromium (playwright-core) on the chat page of a real server (PGlite, the demo knowledge base,
 * auth off) whose scripted model answers at once, so the figure is the UI's and the API's own cost:
 * from the Enter key to the first answer text painted in the transcript, measured inside the page
 * (`performance.now()` in a keydown listener and a MutationObserver), not over the automation link.
 * Each run reloads the page, so every question starts a new conversation. For comparison, the same
 * turn is also timed without a browser (Node `fetch` of `POST /v1/chat` to the first `text-delta`),
 * which leaves the UI's own share as the difference.
 */
import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { WEB_DIR } from '../src/server/web-build.ts';
import { startWebHarness } from '../src/testing/web-harness.ts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '20' } } });
const runs = Number(values.runs);

const ANSWER =
  'You can return most products within 30 days of delivery for a full refund [1]. Opened smart ' +
  'thermostats and security cameras qualify if all accessories are included [1].';

/** Installed before the app loads: stamps the Enter key and the first painted answer text. */
const PROBE = `
  window.__firstToken = null;
  document.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && event.target.id === 'question') {
      window.__sent = performance.now();
      window.__firstToken = null;
    }
  }, true);
  new MutationObserver(() => {
    if (window.__firstToken !== null || window.__sent === undefined) return;
    const text = document.querySelector('.message-assistant .answer-text p');
    if (text && text.textContent.length > 0) window.__firstToken = performance.now() - window.__sent;
  }).observe(document, { subtree: true, childList: true, characterData: true });
`;

function bundle() {
  const dist = path.join(WEB_DIR, 'dist');
  const rows = readdirSync(dist, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const body = readFileSync(path.join(entry.parentPath, entry.name));
      return {
        file: path.relative(dist, path.join(entry.parentPath, entry.name)),
        raw: body.byteLength,
        gzip: gzipSync(body, { level: 9 }).byteLength,
      };
    });
  return rows;
}

/** Milliseconds from sending a streamed chat turn to its first text delta, from Node. */
async function apiFirstToken(url: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(`${url}/v1/chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
    body: JSON.stringify({ question: 'How long do I have to return a thermostat?', stream: true }),
  });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  let first = Number.NaN;
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    text += decoder.decode(value, { stream: true });
    if (Number.isNaN(first) && text.includes('event: text-delta')) first = performance.now() - started;
  }
  return first;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const harness = await startWebHarness({ auth: 'off' });
try {
  const files = bundle();
  const page = await harness.browser.newPage();
  await page.addInitScript(PROBE);
  const firstTokens: number[] = [];
  const complete: number[] = [];
  const api: number[] = [];
  for (let run = 0; run < runs + 2; run++) {
    harness.replies.push({ text: ANSWER, chunkSize: 8 });
    await page.goto(harness.url);
    await page.getByLabel('Your question').fill('How long do I have to return a thermostat?');
    await page.keyboard.press('Enter');
    await page.locator('.message-assistant[data-status="done"]').waitFor();
    const measured = await page.evaluate(() => {
      const probe = globalThis as unknown as { __firstToken: number; __sent: number };
      return { first: probe.__firstToken, done: performance.now() - probe.__sent };
    });
    // The first two warm up the JIT and the database's caches.
    harness.replies.push({ text: ANSWER, chunkSize: 8 });
    const apiOnly = await apiFirstToken(harness.url);
    if (run >= 2) {
      firstTokens.push(measured.first);
      complete.push(measured.done);
      api.push(apiOnly);
    }
  }
  firstTokens.sort((a, b) => a - b);
  complete.sort((a, b) => a - b);
  api.sort((a, b) => a - b);
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} kB`;
  console.log('| file | raw | gzip |\n| --- | ---: | ---: |');
  for (const file of files) console.log(`| ${file.file} | ${kb(file.raw)} | ${kb(file.gzip)} |`);
  const total = files.reduce((sum, file) => ({ raw: sum.raw + file.raw, gzip: sum.gzip + file.gzip }), {
    raw: 0,
    gzip: 0,
  });
  console.log(`| **total** | ${kb(total.raw)} | **${kb(total.gzip)}** |\n`);
  const ms = (value: number) => `${value.toFixed(0)} ms`;
  console.log(`runs: ${runs}`);
  console.log(
    `first answer token painted: p50 ${ms(percentile(firstTokens, 50))}, p95 ${ms(percentile(firstTokens, 95))}, min ${ms(firstTokens[0]!)}`,
  );
  console.log(
    `API alone, first text-delta: p50 ${ms(percentile(api, 50))}, p95 ${ms(percentile(api, 95))}, min ${ms(api[0]!)}`,
  );
  console.log(
    `load average: ${os
      .loadavg()
      .map((load) => load.toFixed(1))
      .join(' ')}`,
  );
  console.log(
    `answer complete (done):     p50 ${ms(percentile(complete, 50))}, p95 ${ms(percentile(complete, 95))}`,
  );
} finally {
  await harness.close();
}
