import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import OpenAI, { APIError, BadRequestError, NotFoundError } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Groundwork } from '../../app.ts';
import { type ModelErrorCode, ModelError as ProviderModelError } from '../../models/errors.ts';
import type { Citation } from '../../spec/answer.ts';
import { type AnswerApps, openAnswerApps } from '../../testing/answer-apps.ts';
import { testBackends } from '../../testing/databases.ts';
import { createHttpApp } from '../app.ts';

const QUESTION = 'How long do I have to return a thermostat?';

/** A model failure as the provider layer raises it. */
class ModelError extends ProviderModelError {
  constructor(code: string) {
    super(code as ModelErrorCode, `upstream said ${code}`, {
      details: { provider: 'scripted', model: 'scripted', attempts: 1, tried: ['scripted:scripted'] },
      retryable: true,
    });
  }
}

/** Serves `app` on a free port and returns an official OpenAI client pointed at it. */
async function start(app: Groundwork) {
  const server = serve({ fetch: createHttpApp(app).fetch, port: 0, hostname: '127.0.0.1' });
  await new Promise((resolve) => server.once('listening', resolve));
  const port = (server.address() as AddressInfo).port;
  // No retries: each scripted failure must be seen once.
  const client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'unused', maxRetries: 0 });
  const close = async () => {
    // Keep-alive connections would hold close() open for seconds.
    (server as Server).closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return { client, close };
}

type Grounded = { citations: Citation[]; mode: string };

for (const backend of testBackends()) {
  describe(`OpenAI-compatible API on ${backend.name}`, () => {
    let apps: AnswerApps;
    let app: Groundwork;
    let plain: Groundwork;
    let model: AnswerApps['model'];
    let replies: AnswerApps['replies'];
    let served: Awaited<ReturnType<typeof start>>;

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      ({ app, plain, model, replies } = apps);
      served = await start(app);
    }, 120_000);
    afterAll(async () => {
      await served?.close();
      await apps?.close();
    });

    it('lists the one model', async () => {
      const models = await served.client.models.list();
      expect(models.data.map((entry) => [entry.id, entry.object])).toEqual([['groundwork', 'model']]);
    });

    it('answers a completion with citations as a field and as a Sources list', async () => {
      replies.push({ text: 'Within 30 days [1].', usage: { inputTokens: 100, outputTokens: 7 } });
      const completion = await served.client.chat.completions.create({
        model: 'groundwork',
        messages: [{ role: 'user', content: [{ type: 'text', text: QUESTION }] }],
        temperature: 0.2,
        max_tokens: 200,
      });
      expect(completion).toMatchObject({
        object: 'chat.completion',
        model: 'groundwork',
        choices: [{ index: 0, finish_reason: 'stop', message: { role: 'assistant' } }],
        usage: { prompt_tokens: 100, completion_tokens: 7, total_tokens: 107 },
      });
      const grounded = completion as unknown as Grounded;
      expect(grounded.mode).toBe('generative');
      expect(grounded.citations[0]).toMatchObject({ n: 1, title: 'Returns and refunds' });
      expect(completion.choices[0]!.message.content).toMatch(
        /^Within 30 days \[1\]\.\n\nSources:\n\[1\] Returns and refunds \(/,
      );
    });

    it('streams chunks that end with the citations and [DONE]', async () => {
      // Several sentences: with guardrails on, streamed text is released a checked sentence at a time.
      const answer =
        'You can return it within 30 days [1]. Opened smart thermostats can be returned within 30 days [1]. ' +
        'Clearance sale products can be returned within 14 days [1]. Refunds take 5 business days [2].';
      replies.push({ text: answer, chunkSize: 4 });
      const stream = await served.client.chat.completions.create({
        model: 'groundwork',
        messages: [{ role: 'user', content: QUESTION }],
        stream: true,
      });
      const chunks = [];
      for await (const chunk of stream) chunks.push(chunk);
      expect(chunks.length).toBeGreaterThan(5);
      expect(chunks.every((chunk) => chunk.object === 'chat.completion.chunk')).toBe(true);
      const text = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
      expect(text.startsWith(`${answer}\n\nSources:\n[1] Returns and refunds`)).toBe(true);
      const last = chunks.at(-1)!;
      expect(last.choices[0]?.finish_reason).toBe('stop');
      expect(last as unknown as Grounded & { answer: string }).toMatchObject({
        answer,
        citations: [{ n: 1 }, { n: 2 }],
      });
    });

    it('passes earlier turns to the answerer as history and ignores system messages', async () => {
      const before = model.calls.length;
      replies.push({ text: 'How long do refunds for a returned smart thermostat take?' });
      // Passage 2 (the refunds section) supports it; the answer renumbers it to [1].
      replies.push({ text: 'Refunds take 5 business days [2].' });
      const completion = await served.client.chat.completions.create({
        model: 'groundwork',
        messages: [
          { role: 'system', content: 'You are a pirate.' },
          { role: 'user', content: 'Can I return a smart thermostat?' },
          { role: 'assistant', content: 'Within 30 days [1].' },
          { role: 'user', content: 'And the refund?' },
        ],
      });
      expect(completion.choices[0]!.message.content).toContain('Refunds take 5 business days [1].');
      expect(model.calls.length - before).toBe(2);
      const condense = JSON.stringify(model.calls[before]!.prompt);
      expect(condense).toContain('User: Can I return a smart thermostat?');
      expect(condense).toContain('And the refund?');
      expect(JSON.stringify(model.calls.slice(before))).not.toContain('pirate');
    });

    it('answers extractively without a model', async () => {
      const extractive = await start(plain);
      try {
        const completion = await extractive.client.chat.completions.create({
          model: 'groundwork',
          messages: [{ role: 'user', content: QUESTION }],
        });
        expect((completion as unknown as Grounded).mode).toBe('extractive');
        expect(completion.choices[0]!.message.content).toContain('Sources:\n[1] Returns and refunds');
      } finally {
        await extractive.close();
      }
    });

    it('reports errors in OpenAI’s shape so the client raises its typed errors', async () => {
      const create = (body: Record<string, unknown>) =>
        served.client.chat.completions.create(body as never).then(
          () => undefined,
          (error: unknown) => error,
        );
      const unknown = await create({ model: 'gpt-4o', messages: [{ role: 'user', content: QUESTION }] });
      expect(unknown).toBeInstanceOf(NotFoundError);
      expect(unknown).toMatchObject({ code: 'model_not_found', param: 'model' });
      const empty = await create({ model: 'groundwork', messages: [] });
      expect(empty).toBeInstanceOf(BadRequestError);
      expect(empty).toMatchObject({ code: 'invalid_request', type: 'invalid_request_error' });
      const noQuestion = await create({
        model: 'groundwork',
        messages: [{ role: 'assistant', content: 'Hello' }],
      });
      expect(noQuestion).toMatchObject({ status: 400, code: 'invalid_messages' });

      for (const [code, status, stream] of [
        ['model_timeout', 504, false],
        ['model_rate_limited', 503, false],
        ['model_unavailable', 502, true],
      ] as const) {
        replies.push({ error: new ModelError(code) });
        const failed = await create({
          model: 'groundwork',
          messages: [{ role: 'user', content: QUESTION }],
          stream,
        });
        expect(failed).toBeInstanceOf(APIError);
        expect(failed).toMatchObject({ status, code });
      }
    });
  });
}
