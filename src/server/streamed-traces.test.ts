/**
 * Streamed answers are traced and counted until their body ends: the root span of a streamed
 * /v1/chat, /v1/ask or OpenAI-compatible completion ends after every span under it, the duration
 * metric is observed only once the body is read, and a client that leaves is recorded as cancelled.
 */
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanNode } from '../observability/span-tree.ts';
import type { TraceRow } from '../store/traces.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const QUESTION = 'How long do I have to return a thermostat?';
/** Several sentences: with guardrails on, streamed text is released a checked sentence at a time. */
const LONG_ANSWER =
  'You can return a thermostat within 30 days of delivery [1]. It must be in its original box [1]. ' +
  'Refunds go back to the original payment method [1].';

const post = (body: unknown) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

function traceIdOf(response: Response): string {
  const id = /^00-([0-9a-f]{32})-/.exec(response.headers.get('traceparent') ?? '')?.[1];
  if (!id) throw new Error('The response names no trace.');
  return id;
}

/** Every span of a tree, flattened. */
function flatten(nodes: readonly SpanNode[]): SpanNode[] {
  return nodes.flatMap((node) => [node, ...flatten(node.children)]);
}

const endOf = (span: SpanNode) => Date.parse(span.startedAt) + span.durationMs;

async function waitFor(condition: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

for (const backend of testBackends()) {
  describe(`streamed requests' traces on ${backend.name}`, () => {
    let apps: AnswerApps;
    let http: ReturnType<typeof createHttpApp>;

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      http = createHttpApp(apps.app);
    }, 120_000);
    afterAll(async () => {
      await apps?.close();
    });

    const trace = async (traceId: string) => {
      await apps.app.observability.flush();
      const response = await http.request(`/v1/traces/${traceId}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { trace: TraceRow; spans: SpanNode[] };
    };
    const metric = async (pattern: RegExp) =>
      Number(pattern.exec(await (await http.request('/metrics')).text())?.[1] ?? 0);

    it('ends the root span of a streamed /v1/chat after every span under it', async () => {
      const durations =
        /^groundwork_http_request_duration_seconds_count\{route="\/v1\/chat",method="POST",status="200"\} (\d+)/m;
      const before = await metric(durations);
      apps.replies.push({ text: LONG_ANSWER, chunkSize: 12, delayMs: 30 });
      const response = await http.request('/v1/chat', post({ question: QUESTION, stream: true }));
      expect(response.headers.get('content-type')).toContain('text/event-stream');
      // Headers are here, the body is not read yet: the request is not over, so it is not counted.
      expect(await metric(durations)).toBe(before);
      const text = await response.text();
      expect(text).toContain('event: done');
      expect(await metric(durations)).toBe(before + 1);

      const { trace: row, spans } = await trace(traceIdOf(response));
      expect(spans).toHaveLength(1);
      const root = spans[0] as SpanNode;
      expect(root.name).toBe('POST /v1/chat');
      const all = flatten(spans);
      expect(all.map((span) => span.name)).toEqual(expect.arrayContaining(['generate', 'gen_ai.chat']));
      for (const span of all) expect(endOf(root), span.name).toBeGreaterThanOrEqual(endOf(span));
      expect(row).toMatchObject({ status: 'ok', errorCode: null, durationMs: root.durationMs });
      expect(root.attributes['groundwork.http.cancelled']).toBeUndefined();
    });

    it('does the same for a streamed /v1/ask and the OpenAI-compatible stream', async () => {
      apps.replies.push({ text: LONG_ANSWER, chunkSize: 12 });
      const asked = await http.request('/v1/ask', post({ question: QUESTION, stream: true }));
      await asked.text();
      apps.replies.push({ text: LONG_ANSWER, chunkSize: 12 });
      const completed = await http.request(
        '/v1/chat/completions',
        post({ model: 'groundwork', stream: true, messages: [{ role: 'user', content: QUESTION }] }),
      );
      expect(await completed.text()).toContain('data: [DONE]');
      for (const [response, route] of [
        [asked, '/v1/ask'],
        [completed, '/v1/chat/completions'],
      ] as const) {
        const { trace: row, spans } = await trace(traceIdOf(response));
        const root = spans[0] as SpanNode;
        expect(row.route).toBe(route);
        const chat = flatten(spans).find((span) => span.name === 'gen_ai.chat') as SpanNode;
        expect(endOf(root), route).toBeGreaterThanOrEqual(endOf(chat));
      }
    });

    it('records a stream the client cancels as cancelled, counted under 499', async () => {
      const cancelled =
        /^groundwork_http_requests_total\{route="\/v1\/chat",method="POST",status="499"\} (\d+)/m;
      const before = await metric(cancelled);
      apps.replies.push({ text: 'This reply takes far too long [1].', delayMs: 20_000 });
      const calls = apps.model.calls.length;
      const response = await http.request('/v1/chat', post({ question: QUESTION, stream: true }));
      const reader = response.body!.getReader();
      const { value } = await reader.read();
      expect(new TextDecoder().decode(value)).toContain('event: retrieval-done');
      await waitFor(async () => apps.model.calls.length > calls);
      await reader.cancel();
      expect(await metric(cancelled)).toBe(before + 1);
      // The model call is cancelled with the stream.
      expect(apps.model.calls[calls]?.abortSignal?.aborted).toBe(true);

      const { trace: row, spans } = await trace(traceIdOf(response));
      expect(row).toMatchObject({ status: 'ok', errorCode: 'cancelled' });
      expect(spans[0]?.attributes).toMatchObject({
        'groundwork.http.cancelled': true,
        'groundwork.error.code': 'cancelled',
        'http.response.status_code': 200,
      });
    });

    it('records a client that disconnects from a real server as cancelled', async () => {
      const server = serve({ fetch: http.fetch, port: 0, hostname: '127.0.0.1' });
      await new Promise((resolve) => server.once('listening', resolve));
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/ask`;
      try {
        apps.replies.push({ text: 'This reply takes far too long [1].', delayMs: 20_000 });
        const client = new AbortController();
        const response = await fetch(url, {
          ...post({ question: QUESTION, stream: true }),
          signal: client.signal,
        });
        const traceId = traceIdOf(response);
        await response.body!.getReader().read();
        client.abort();
        await waitFor(async () => {
          await apps.app.observability.flush();
          const detail = await http.request(`/v1/traces/${traceId}`);
          if (detail.status !== 200) return false;
          return ((await detail.json()) as { trace: TraceRow }).trace.errorCode === 'cancelled';
        });
        const { spans } = await trace(traceId);
        expect(spans[0]?.attributes['groundwork.http.cancelled']).toBe(true);
      } finally {
        (server as Server).closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });
}
