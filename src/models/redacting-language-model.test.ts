import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { AskEvent } from '../spec/answer.ts';
import { openDatabase } from '../store/open.ts';
import { type ProviderServer, startProviderServer } from '../testing/provider-server.ts';
import { isHostedModel, isLoopbackHost } from './hosted-model.ts';
import { resolveLanguageModel } from './language-models.ts';

const FIXTURES = path.resolve(import.meta.dirname, '__fixtures__/openai');
const CUSTOMER = { email: 'ana.lopez@example.org', phone: '415-555-0134' };
const DESK = { email: 'returns@shop.example', phone: '+44 20 7946 0958' };
const DOCUMENT = `# Returns\n\nTo return an item, write to ${DESK.email} or call ${DESK.phone} within 30 days of delivery. Keep the receipt.\n`;
const QUESTION = `I am ${CUSTOMER.email}, phone ${CUSTOMER.phone}. How do I return an item?`;

/** Any email or any of the phone numbers, as a provider might receive them. */
const LEAKS = [/[\w.+-]+@[\w-]+\.[\w.]+/, /415.?555.?0134/, /7946.?0958/];

function completion(content: string): string {
  return JSON.stringify({
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'gpt-4o-mini',
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop' }],
    usage: { prompt_tokens: 10, completion_tokens: 10, total_tokens: 20 },
  });
}

/** An SSE stream of `pieces` as content deltas (cut wherever the test wants, mid-placeholder too). */
function streamed(pieces: readonly string[]): string {
  const chunk = (delta: Record<string, unknown>, finish: string | null) =>
    `data: ${JSON.stringify({ id: 'c', object: 'chat.completion.chunk', created: 1, model: 'gpt-4o-mini', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
  return (
    chunk({ role: 'assistant', content: '' }, null) +
    pieces.map((piece) => chunk({ content: piece }, null)).join('') +
    chunk({}, 'stop') +
    'data: [DONE]\n\n'
  );
}

/** The placeholder the redacted prompt used for `label` (found next to a word the test knows). */
function placeholderNear(body: string, pattern: RegExp): string {
  const found = pattern.exec(body)?.[1];
  if (!found) throw new Error(`no placeholder for ${pattern} in ${body.slice(0, 2000)}`);
  return found;
}

describe('redactForModel with a hosted provider (a local server speaking the OpenAI protocol)', () => {
  let server: ProviderServer;
  let app: Groundwork;
  let folder: string;
  let desk = { email: '', phone: '' };

  beforeAll(async () => {
    server = await startProviderServer(FIXTURES);
    folder = await mkdtemp(path.join(tmpdir(), 'gw-redact-'));
    await writeFile(path.join(folder, 'returns.md'), DOCUMENT);
    const db = await openDatabase({ dataDir: 'memory://' });
    // No redactForModel setting: the default must protect a hosted provider.
    const config = loadConfig({
      dataDir: 'memory://',
      embedder: 'none',
      llm: { model: 'openai:gpt-4o-mini', baseUrl: `${server.url}/v1`, apiKey: 'sk-test', maxRetries: 0 },
      cache: { answers: { enabled: false } },
    });
    app = await createGroundwork(config, { db });
    await app.ingestion.submit('default', { sources: [{ kind: 'path', path: folder }] }, { trusted: true });
    await app.ingestion.drain();
    // A first question shows which placeholders the prompt uses for the desk's email and phone.
    server.script([{ body: completion('Write to the desk [1].') }]);
    await app.answerer.ask({ tenantId: 'default', question: QUESTION });
    const body = JSON.stringify(server.requests[0]?.body);
    desk = {
      email: placeholderNear(body, /write to (\[EMAIL_\d+\]) or call/),
      phone: placeholderNear(body, /or call (\[PHONE_\d+\]) within/),
    };
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await server?.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('sends no email or phone number to the provider, from the question or from the passages', async () => {
    server.script([{ body: completion(`Write to ${desk.email} or call ${desk.phone} within 30 days [1].`) }]);
    const result = await app.answerer.ask({ tenantId: 'default', question: QUESTION });
    const sent = JSON.stringify(server.requests[0]?.body);
    for (const leak of LEAKS) expect(sent).not.toMatch(leak);
    expect(sent).toMatch(/\[EMAIL_\d+\]/);
    expect(sent).toMatch(/\[PHONE_\d+\]/);
    // The answer shown to the user has the real values back (they were in the passage it cites).
    expect(result.mode).toBe('generative');
    expect(result.answer).toContain(DESK.email);
    expect(result.answer).toContain(DESK.phone);
    expect(result.answer).not.toMatch(/\[(EMAIL|PHONE)_\d+\]/);
  });

  it('restores placeholders split across streamed deltas, and leaves invented ones alone', async () => {
    const [emailHead, emailTail] = [desk.email.slice(0, 4), desk.email.slice(4)];
    server.script([
      {
        body: streamed([
          'Write to ',
          emailHead,
          emailTail,
          ` or call ${desk.phone.slice(0, 3)}`,
          `${desk.phone.slice(3)} within 30 days [1]. Not [EMAIL_99].`,
        ]),
        contentType: 'text/event-stream',
      },
    ]);
    let text = '';
    let done: (AskEvent & { type: 'done' })['result'] | undefined;
    for await (const event of app.answerer.stream({ tenantId: 'default', question: QUESTION })) {
      if (event.type === 'text-delta') text += event.delta;
      if (event.type === 'done') done = event.result;
    }
    const sent = JSON.stringify(server.requests[0]?.body);
    for (const leak of LEAKS) expect(sent).not.toMatch(leak);
    expect(text).toContain(DESK.email);
    expect(text).toContain(DESK.phone);
    expect(done?.answer).toContain(DESK.email);
    expect(done?.answer).toContain('[EMAIL_99]');
  });
});

describe('which models are redacted', () => {
  it('treats openai and anthropic as hosted anywhere, openai-compatible unless on loopback, local never', () => {
    expect(isHostedModel('openai', 'http://127.0.0.1:9/v1')).toBe(true);
    expect(isHostedModel('anthropic', undefined)).toBe(true);
    expect(isHostedModel('local', undefined)).toBe(false);
    for (const url of [
      'http://localhost:11434/v1',
      'http://127.0.0.1:8000/v1',
      'http://127.3.2.1:8000/v1',
      'http://[::1]:8000/v1',
      'http://[::ffff:127.0.0.1]:8000/v1',
      'http://api.localhost/v1',
    ]) {
      expect(isHostedModel('openai-compatible', url), url).toBe(false);
    }
    for (const url of [
      'http://10.0.0.5:8000/v1',
      'https://api.together.xyz/v1',
      'http://localhost.example.com/v1',
      'http://[::ffff:10.0.0.1]/v1',
    ]) {
      expect(isHostedModel('openai-compatible', url), url).toBe(true);
    }
    expect(isLoopbackHost('LOCALHOST.')).toBe(true);
  });

  it('leaves a loopback openai-compatible server alone under auto, and redacts it when asked to', async () => {
    const server = await startProviderServer(FIXTURES);
    try {
      const prompt = [{ role: 'user' as const, content: [{ type: 'text' as const, text: QUESTION }] }];
      for (const [redact, expectLeak] of [
        ['auto', true],
        [true, false],
        [false, true],
      ] as const) {
        const resolved = resolveLanguageModel(
          {
            model: 'openai-compatible:llama',
            baseUrl: `${server.url}/v1`,
            fallbacks: [],
            timeoutMs: 10_000,
            maxRetries: 0,
          },
          { redact },
        );
        server.script([{ body: completion('ok') }]);
        await resolved?.model.doGenerate({ prompt });
        const sent = JSON.stringify(server.requests[0]?.body);
        expect(sent.includes(CUSTOMER.email), String(redact)).toBe(expectLeak);
      }
    } finally {
      await server.close();
    }
  });
});
