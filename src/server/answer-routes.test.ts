import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NOTES } from '../answer/notes.ts';
import type { Groundwork } from '../app.ts';
import { type ModelErrorCode, ModelError as ProviderModelError } from '../models/errors.ts';
import type { AskEvent, AskResult } from '../spec/answer.ts';
import { createConversation } from '../store/conversations.ts';
import { ensureTenant } from '../store/documents.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const QUESTION = 'How long do I have to return a thermostat?';
/**
 * A grounded answer of several sentences: with guardrails on, streamed text is released a checked
 * sentence at a time, so streaming tests need more than one sentence.
 */
const LONG_ANSWER = [
  'You can return most products within 30 days of delivery [1].',
  'Opened smart thermostats can be returned within 30 days [1].',
  'All accessories must be included [1].',
  'Clearance sale products can be returned within 14 days [1].',
  'Refunds go back to the original payment method [2].',
  'Refunds take 5 business days [2].',
  'Refunds above $500 are reviewed by our team [2].',
].join(' ');

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
  body: typeof body === 'string' ? body : JSON.stringify(body),
});

/** A model error the way the provider layer raises them: a code and category 'system'. */
class ModelError extends ProviderModelError {
  constructor(code: string) {
    super(code as ModelErrorCode, `upstream said ${code} (secret internals)`, {
      details: { provider: 'scripted', model: 'scripted', attempts: 1, tried: ['scripted:scripted'] },
      retryable: true,
    });
  }
}

/** Parses a server-sent-event body into events. */
function parseEvents(text: string): { event: string; data: AskEvent }[] {
  return text
    .split('\n\n')
    .filter((block) => block.trim())
    .map((block) => {
      const event = /^event: (.*)$/m.exec(block)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as AskEvent;
      return { event, data };
    });
}

for (const backend of testBackends()) {
  describe(`answer API on ${backend.name}`, () => {
    let apps: AnswerApps;
    let app: Groundwork;
    let plain: Groundwork;
    let model: AnswerApps['model'];
    let replies: AnswerApps['replies'];
    let http: ReturnType<typeof createHttpApp>;

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      ({ app, plain, model, replies } = apps);
      http = createHttpApp(app);
    }, 120_000);
    afterAll(async () => {
      await apps?.close();
    });

    it('answers as JSON with the model, and extractively without one', async () => {
      replies.push({ text: 'Thermostats: 30 days [1], gone [3, 99].' });
      const response = await http.request('/v1/ask', json({ question: QUESTION, limit: 3 }));
      expect(response.status).toBe(200);
      const result = (await response.json()) as AskResult;
      expect(result).toMatchObject({
        mode: 'generative',
        model: 'test:scripted',
        answer: 'Thermostats: 30 days [1], gone [2].',
        removedCitations: 1,
      });
      expect(result.citations).toHaveLength(2);

      const extractive = await createHttpApp(plain).request('/v1/ask', json({ question: QUESTION }));
      const body = (await extractive.json()) as AskResult;
      expect(body).toMatchObject({ mode: 'extractive', model: null, notes: [NOTES.noModel] });
      expect(body.citations[0]?.title).toBe('Returns and refunds');
    });

    it('streams server-sent events in order, by Accept header or by flag', async () => {
      replies.push({ text: LONG_ANSWER, chunkSize: 4 });
      const response = await http.request(
        '/v1/ask',
        json({ question: QUESTION }, { accept: 'text/event-stream' }),
      );
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      const events = parseEvents(await response.text());
      const names = events.map((event) => event.event);
      expect(names[0]).toBe('retrieval-done');
      expect(names.slice(-2)).toEqual(['citations', 'done']);
      expect(names.filter((name) => name === 'text-delta').length).toBeGreaterThan(5);
      expect(events.every((event) => event.event === event.data.type)).toBe(true);
      const done = events.at(-1)!.data as Extract<AskEvent, { type: 'done' }>;
      expect(done.result.answer).toBe(LONG_ANSWER);

      const flagged = await http.request('/v1/ask', json({ question: QUESTION, stream: true }));
      expect(parseEvents(await flagged.text()).map((event) => event.event)[0]).toBe('retrieval-done');
    });

    it('maps model failures to 504/503/502 with a code, and keeps answering', async () => {
      for (const [code, status] of [
        ['model_timeout', 504],
        ['model_rate_limited', 503],
        ['model_unavailable', 502],
        ['model_bad_response', 502],
      ] as const) {
        replies.push({ error: new ModelError(code) });
        const response = await http.request('/v1/ask', json({ question: QUESTION }));
        const body = (await response.json()) as { error: { code: string; message: string } };
        expect({ status: response.status, code: body.error.code }).toEqual({ status, code });
        expect(body.error.message).not.toContain('secret');
      }
      replies.push({ error: new ModelError('model_timeout') });
      const streamed = parseEvents(
        await (await http.request('/v1/ask', json({ question: QUESTION, stream: true }))).text(),
      );
      expect(streamed.map((event) => event.event)).toEqual(['retrieval-done', 'error']);
      expect(streamed[1]!.data).toMatchObject({ code: 'model_timeout' });
      const after = await http.request('/v1/ask', json({ question: QUESTION }));
      expect(after.status).toBe(200);
    });

    it('rejects bad input with 4xx, a stable code and no stack trace', async () => {
      const cases: [RequestInit, number, string][] = [
        [json({ question: '' }), 400, 'invalid_request'],
        [json({ question: ' \n\t ' }), 400, 'invalid_request'],
        [json({ question: 'x'.repeat(8001) }), 400, 'invalid_request'],
        [json({ question: 'refunds', extra: 1 }), 400, 'invalid_request'],
        [json({ question: 'refunds', history: [{ role: 'system', content: 'x' }] }), 400, 'invalid_request'],
        [json({ question: 'refunds', limit: 0 }), 400, 'invalid_request'],
        [json({ question: 'refunds', filters: { nope: 1 } }), 400, 'invalid_request'],
        [json({ question: 'refunds', retrievalMode: 'vector' }), 400, 'vector_search_unavailable'],
        [json('{"question": '), 400, 'invalid_json'],
        [json({ question: 'y'.repeat(1024 * 1024) }), 413, 'payload_too_large'],
      ];
      for (const route of ['/v1/ask', '/v1/chat']) {
        for (const [init, status, code] of cases) {
          const response = await http.request(route, init);
          const body = (await response.json()) as { error: { code: string } };
          expect({ route, status: response.status, code: body.error.code }).toEqual({ route, status, code });
          expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);
        }
      }
    });

    it('keeps chat history per conversation and hides other tenants’ conversations', async () => {
      replies.push({ text: 'Within 30 days [1].' });
      const first = await http.request('/v1/chat', json({ question: 'Can I return a smart thermostat?' }));
      expect(first.status).toBe(200);
      const firstBody = (await first.json()) as AskResult & { conversationId: string };
      const conversationId = first.headers.get('groundwork-conversation-id');
      expect(conversationId).toBe(firstBody.conversationId);

      const callsBefore = model.calls.length;
      replies.push({ text: 'How long do refunds for a returned smart thermostat take?' });
      // Passage 2 (the refunds section) supports it; the answer renumbers it to [1].
      replies.push({ text: 'Refunds take 5 business days [2].' });
      const second = await http.request(
        '/v1/chat',
        json({ question: 'And the refund?', conversationId, stream: true }),
      );
      expect(second.headers.get('groundwork-conversation-id')).toBe(conversationId);
      expect(parseEvents(await second.text()).at(-1)?.event).toBe('done');
      // The follow-up was condensed with the stored history, then answered.
      expect(model.calls.length - callsBefore).toBe(2);
      expect(JSON.stringify(model.calls[callsBefore]!.prompt)).toContain(
        'User: Can I return a smart thermostat?',
      );

      const conversation = await app.chat.open('default', conversationId!, '');
      const messages = await app.chat.messages(conversation);
      expect(messages.map((message) => [message.ordinal, message.role, message.content])).toEqual([
        [1, 'user', 'Can I return a smart thermostat?'],
        [2, 'assistant', 'Within 30 days [1].'],
        [3, 'user', 'And the refund?'],
        [4, 'assistant', 'Refunds take 5 business days [1].'],
      ]);
      expect(messages[3]).toMatchObject({ mode: 'generative', model: 'test:scripted' });
      expect(messages[3]!.citations[0]).toMatchObject({ n: 1 });

      replies.push({ error: new ModelError('model_unavailable') });
      const failed = await http.request('/v1/chat', json({ question: 'And shipping?', conversationId }));
      expect(failed.status).toBe(502);
      expect(await app.chat.messages(conversation)).toHaveLength(4);

      await ensureTenant(app.db, 'other');
      const foreign = await createConversation(app.db, 'other', 'secret');
      for (const id of [foreign.id, '00000000-0000-0000-0000-000000000000', 'not-a-uuid']) {
        const response = await http.request('/v1/chat', json({ question: 'refunds', conversationId: id }));
        expect(response.status).toBe(404);
        expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
          'conversation_not_found',
        );
      }
    });

    it('sends the first event before the model finishes, and cancels the model when the client leaves', async () => {
      const server = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise((resolve) => server.once('listening', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ask`;
      try {
        replies.push({ text: LONG_ANSWER, chunkSize: 6, delayMs: 1200 });
        const started = performance.now();
        const response = await fetch(url, json({ question: QUESTION, stream: true }));
        const arrivals: { at: number; text: string }[] = [];
        const decoder = new TextDecoder();
        for await (const chunk of response.body!) {
          arrivals.push({ at: performance.now() - started, text: decoder.decode(chunk as Uint8Array) });
        }
        const firstAt = arrivals.find((arrival) => arrival.text.includes('event: retrieval-done'))!.at;
        const deltaAt = arrivals.find((arrival) => arrival.text.includes('event: text-delta'))!.at;
        const doneAt = arrivals.find((arrival) => arrival.text.includes('event: done'))!.at;
        expect(doneAt - firstAt).toBeGreaterThan(800);
        expect(doneAt - deltaAt).toBeGreaterThan(500);

        replies.push({ text: 'This reply takes far too long [1].', delayMs: 20_000 });
        const callIndex = model.calls.length;
        const client = new AbortController();
        const slow = await fetch(url, {
          ...json({ question: QUESTION, stream: true }),
          signal: client.signal,
        });
        const reader = slow.body!.getReader();
        const { value } = await reader.read();
        expect(decoder.decode(value)).toContain('event: retrieval-done');
        await waitFor(() => model.calls.length > callIndex);
        client.abort();
        await waitFor(() => model.calls[callIndex]?.abortSignal?.aborted === true);
        expect((await fetch(url.replace('/v1/ask', '/healthz'))).status).toBe(200);
      } finally {
        // Keep-alive connections would hold close() open for seconds.
        (server as Server).closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
}

async function waitFor(condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const started = performance.now();
  while (!condition()) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
