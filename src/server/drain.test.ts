/**
 * A draining server (SIGTERM; server/drain.ts): `/readyz` says 503 at once, new requests are refused
 * with `server_shutting_down`, requests in flight finish, and every open stream ends with one final
 * event: subscriptions (inbox, job progress) at once, answers at the stream deadline unless they
 * finish first, the OpenAI-compatible stream with an error chunk and then `[DONE]`. The answer streams
 * run a scripted model that would keep sending deltas for half a minute, so a stream that was not
 * ended would show them (and time the test out).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Groundwork } from '../app.ts';
import { openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import type { ScriptedLanguageModel, ScriptedReply } from '../testing/scripted-language-model.ts';
import { type SseEvent, SseReader } from '../testing/sse-reader.ts';
import { createHttpApp } from './app.ts';
import { ServerDrain } from './drain.ts';

const QUESTION = 'How long do I have to return a thermostat?';
const KNOWLEDGE = path.resolve(import.meta.dirname, '../testing/__fixtures__/knowledge');
/** About 30 s of deltas. */
const ENDLESS_REPLY: ScriptedReply = {
  text: 'Returns are accepted [1]. '.repeat(22),
  chunkSize: 4,
  delayMs: 30_000,
};

const post = (body: unknown, stream = true): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...(stream ? { accept: 'text/event-stream' } : {}) },
  body: JSON.stringify(body),
});

const codeOf = (event: SseEvent | undefined) => {
  const data = JSON.parse(event?.data && event.data !== '[DONE]' ? event.data : '{}') as {
    code?: string;
    error?: { code?: string };
  };
  return data.code ?? data.error?.code;
};

for (const backend of testBackends()) {
  describe(`a draining server, on ${backend.name}`, () => {
    let app: Groundwork;
    let model: ScriptedLanguageModel;
    let replies: ScriptedReply[];
    let close: () => Promise<void>;

    beforeAll(async () => {
      ({ app, model, replies, close } = await openAnswerApps(backend));
    }, 120_000);
    afterAll(async () => close?.());

    const serverWithDrain = () => {
      const drain = new ServerDrain();
      return { drain, http: createHttpApp(app, { webRoot: null, drain }) };
    };

    it('ends an answer stream in flight with server_shutting_down at the stream deadline, and cancels the model call', async () => {
      const { drain, http } = serverWithDrain();
      replies.push(ENDLESS_REPLY);
      const calls = model.calls.length;
      const response = await http.request('/v1/ask', post({ question: QUESTION }));
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'text-delta');
      drain.begin({ streamDeadlineMs: 300 });
      const after = await reader.rest();
      expect(codeOf(after.at(-1))).toBe('server_shutting_down');
      expect(after.at(-1)?.event).toBe('error');
      expect(after.filter((event) => event.event === 'done')).toEqual([]);
      expect(model.calls[calls]?.abortSignal?.aborted).toBe(true);
      await drain.idle();
      expect(drain.inFlight).toBe(0);
    }, 30_000);

    it('lets an answer stream that finishes before the deadline end normally', async () => {
      const { drain, http } = serverWithDrain();
      replies.push({ text: 'Within 30 days [1].', delayMs: 300 });
      const response = await http.request('/v1/ask', post({ question: QUESTION }));
      const reader = new SseReader(response);
      drain.begin({ streamDeadlineMs: 20_000 });
      const events = await reader.rest();
      expect(events.at(-1)?.event).toBe('done');
      expect(events.filter((event) => event.event === 'error')).toEqual([]);
    }, 30_000);

    it('ends an OpenAI-compatible stream with a 503 error chunk, then [DONE]', async () => {
      const { drain, http } = serverWithDrain();
      replies.push(ENDLESS_REPLY);
      const response = await http.request(
        '/v1/chat/completions',
        post({ model: 'groundwork', stream: true, messages: [{ role: 'user', content: QUESTION }] }),
      );
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      await reader.until((event) => event.data.includes('Returns'));
      drain.begin({ streamDeadlineMs: 0 });
      const after = await reader.rest();
      expect(after.at(-1)?.data).toBe('[DONE]');
      const error = JSON.parse(after.at(-2)?.data ?? '{}') as { error?: { code?: string; type?: string } };
      expect(error.error?.code).toBe('server_shutting_down');
      expect(after.filter((event) => event.data.includes('"finish_reason":"stop"'))).toEqual([]);
    }, 30_000);

    it('ends subscriptions (inbox events, job progress) at once, without waiting for the deadline', async () => {
      const { drain, http } = serverWithDrain();
      const inbox = new SseReader(await http.request('/v1/inbox/events'));
      await inbox.until((event) => event.event === 'inbox-ready');
      // No worker runs here, so the job stays queued and its event stream stays open.
      const job = await app.ingestion.submit(
        'default',
        { sources: [{ kind: 'path', path: KNOWLEDGE }] },
        { trusted: true },
      );
      const jobs = new SseReader(await http.request(`/v1/jobs/${job.id}/events`));
      await jobs.until((event) => event.event === 'job-progress');
      expect(drain.openStreams).toBe(2);
      // A deadline far beyond the test's timeout: only an immediate end passes.
      drain.begin({ streamDeadlineMs: 600_000 });
      const [inboxRest, jobRest] = await Promise.all([inbox.rest(), jobs.rest()]);
      expect(codeOf(inboxRest.at(-1))).toBe('server_shutting_down');
      expect(codeOf(jobRest.at(-1))).toBe('server_shutting_down');
      expect(jobRest.filter((event) => event.event === 'job-end')).toEqual([]);
      await app.ingestion.cancel('default', job.id);
    }, 30_000);

    it('answers /readyz 503 and refuses new requests with server_shutting_down, but finishes one in flight', async () => {
      const { drain, http } = serverWithDrain();
      expect((await http.request('/readyz')).status).toBe(200);
      replies.push({ text: 'Within 30 days [1].', delayMs: 500 });
      const inFlight = http.request('/v1/ask', post({ question: QUESTION }, false));
      // The request is in the handler (waiting for the model) when the drain begins.
      await expect.poll(() => model.calls.length > 0 && drain.inFlight > 0).toBe(true);
      drain.begin({ streamDeadlineMs: 5000 });
      const ready = await http.request('/readyz');
      expect(ready.status).toBe(503);
      expect(((await ready.json()) as { error: { code: string } }).error.code).toBe('server_shutting_down');
      expect((await http.request('/healthz')).status).toBe(200);
      const refused = await http.request('/v1/search', post({ query: 'returns' }, false));
      expect(refused.status).toBe(503);
      expect(refused.headers.get('connection')).toBe('close');
      expect(refused.headers.get('retry-after')).toBe('1');
      expect(((await refused.json()) as { error: { code: string } }).error.code).toBe('server_shutting_down');
      const finished = await inFlight;
      expect(finished.status).toBe(200);
      expect(finished.headers.get('connection')).toBe('close');
      expect(((await finished.json()) as { answer: string }).answer).toContain('30 days');
      await drain.idle();
    }, 30_000);
  });
}
