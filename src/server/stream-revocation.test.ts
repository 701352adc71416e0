/**
 * Revoked, rotated and expired credentials end open streams: every long-lived response of the API
 * (`/v1/ask` and `/v1/chat` events, the OpenAI-compatible stream, the inbox and job event streams)
 * is opened with a key, the key is revoked mid-stream, and the stream must close with one final
 * error event and nothing after it. The answer streams run a scripted model that would keep sending
 * deltas for half a minute, so a stream that was not cut would show them (and time the test out).
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Groundwork } from '../app.ts';
import { ApiKeyService } from '../identity/keys.ts';
import type { Role } from '../identity/roles.ts';
import { openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import type { ScriptedLanguageModel, ScriptedReply } from '../testing/scripted-language-model.ts';
import { type SseEvent, SseReader } from '../testing/sse-reader.ts';
import { createHttpApp } from './app.ts';

type Http = ReturnType<typeof createHttpApp>;

const QUESTION = 'How long do I have to return a thermostat?';
const KNOWLEDGE = path.resolve(import.meta.dirname, '../testing/__fixtures__/knowledge');
/** About 30 s of deltas, 4 characters every 200 ms or so. */
const ENDLESS_REPLY: ScriptedReply = {
  text: 'Returns are accepted [1]. '.repeat(22),
  chunkSize: 4,
  delayMs: 30_000,
};

function call(http: Http, secret: string, route: string, init: RequestInit = {}) {
  const headers = new Headers(init.headers);
  headers.set('authorization', `Bearer ${secret}`);
  return http.request(route, { ...init, headers });
}

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
  body: JSON.stringify(body),
});

const codeOf = (event: SseEvent | undefined) =>
  (JSON.parse(event?.data ?? '{}') as { code?: string; error?: { code?: string } }).code ??
  (JSON.parse(event?.data ?? '{}') as { error?: { code?: string } }).error?.code;

for (const backend of testBackends()) {
  describe(`streams end when their credential does, on ${backend.name}`, () => {
    let app: Groundwork;
    let http: Http;
    let model: ScriptedLanguageModel;
    let replies: ScriptedReply[];
    let close: () => Promise<void>;
    let admin: string;

    beforeAll(async () => {
      ({ app, model, replies, close } = await openAnswerApps(backend));
      http = createHttpApp(app, { webRoot: null });
      admin = (await app.keys.create({ tenantId: 'default', name: 'admin', role: 'admin' }, { actor: 'cli' }))
        .secret;
    }, 120_000);
    afterAll(async () => close?.());

    const newKey = async (role: Role) => {
      const issued = await app.keys.create({ tenantId: 'default', name: role, role }, { actor: 'cli' });
      return { id: issued.key.id, secret: issued.secret };
    };
    const revokeOverApi = async (id: string) =>
      expect((await call(http, admin, `/v1/admin/keys/${id}/revoke`, { method: 'POST' })).status).toBe(200);

    /** Reads to the end and checks the stream closed with exactly one final error event of `code`. */
    async function expectEndsWith(reader: SseReader, code: string, forbidden: (event: SseEvent) => boolean) {
      const after = await reader.rest();
      const last = after.at(-1);
      expect(codeOf(last)).toBe(code);
      // Nothing after the error event (the stream closed), and no completion before it.
      expect(after.slice(0, -1).filter((event) => codeOf(event) === code)).toEqual([]);
      expect(after.filter(forbidden)).toEqual([]);
    }

    it('ends a /v1/ask stream revoked through the admin API, and cancels the model call', async () => {
      const key = await newKey('customer');
      replies.push(ENDLESS_REPLY);
      const calls = model.calls.length;
      const response = await call(http, key.secret, '/v1/ask', post({ question: QUESTION }));
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'text-delta');
      await revokeOverApi(key.id);
      await expectEndsWith(reader, 'credential_revoked', (event) => event.event === 'done');
      expect(model.calls[calls]?.abortSignal?.aborted).toBe(true);
    }, 30_000);

    it('ends a /v1/chat stream when its key is rotated away with no grace', async () => {
      const key = await newKey('customer');
      replies.push(ENDLESS_REPLY);
      const response = await call(http, key.secret, '/v1/chat', post({ question: QUESTION, stream: true }));
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'text-delta');
      const rotated = await call(http, admin, `/v1/admin/keys/${key.id}/rotate`, { method: 'POST' });
      expect(rotated.status).toBe(200);
      await expectEndsWith(reader, 'credential_revoked', (event) => event.event === 'done');
    }, 30_000);

    it('ends a /v1/chat stream of a customer session revoked through DELETE /v1/sessions/:id', async () => {
      const widget = await newKey('customer');
      const issued = await call(http, widget.secret, '/v1/sessions', post({}));
      expect(issued.status).toBe(201);
      const session = (await issued.json()) as { token: string; sessionId: string };
      replies.push(ENDLESS_REPLY);
      const response = await call(
        http,
        session.token,
        '/v1/chat',
        post({ question: QUESTION, stream: true }),
      );
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'text-delta');
      const revoked = await call(http, admin, `/v1/sessions/${session.sessionId}`, { method: 'DELETE' });
      expect(revoked.status).toBe(200);
      await expectEndsWith(reader, 'credential_revoked', (event) => event.event === 'done');
    }, 30_000);

    it('ends an OpenAI-compatible stream with an error chunk and no [DONE]', async () => {
      const key = await newKey('customer');
      replies.push(ENDLESS_REPLY);
      const response = await call(
        http,
        key.secret,
        '/v1/chat/completions',
        post({ model: 'groundwork', stream: true, messages: [{ role: 'user', content: QUESTION }] }),
      );
      expect(response.status).toBe(200);
      const reader = new SseReader(response);
      await reader.until((event) => event.data.includes('Returns'));
      await revokeOverApi(key.id);
      await expectEndsWith(
        reader,
        'credential_revoked',
        (event) => event.data === '[DONE]' || event.data.includes('"finish_reason":"stop"'),
      );
    }, 30_000);

    it('ends the inbox event stream of a revoked operator key', async () => {
      const key = await newKey('operator');
      const response = await call(http, key.secret, '/v1/inbox/events');
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'inbox-ready');
      await revokeOverApi(key.id);
      await expectEndsWith(reader, 'credential_revoked', () => false);
    }, 30_000);

    it('sees a revocation made by another process, through the periodic check, on a job stream', async () => {
      const key = await newKey('operator');
      // No worker runs here, so the job stays queued and its event stream stays open.
      const job = await app.ingestion.submit(
        'default',
        { sources: [{ kind: 'path', path: KNOWLEDGE }] },
        { trusted: true },
      );
      const response = await call(http, key.secret, `/v1/jobs/${job.id}/events`);
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'job-progress');
      // Another instance's key service: it shares the database, not this process's notifications.
      await new ApiKeyService(app.db).revoke(key.id, { actor: 'cli' });
      await expectEndsWith(reader, 'credential_revoked', (event) => event.event === 'job-end');
    }, 30_000);

    it('ends a stream whose key expires while it is open', async () => {
      const key = await newKey('customer');
      replies.push(ENDLESS_REPLY);
      const response = await call(http, key.secret, '/v1/ask', post({ question: QUESTION }));
      const reader = new SseReader(response);
      await reader.until((event) => event.event === 'text-delta');
      await app.db.query('UPDATE api_keys SET expires_at = now() WHERE id = $1', [key.id]);
      await expectEndsWith(reader, 'credential_expired', (event) => event.event === 'done');
    }, 30_000);

    it('lets a stream of a key that stays valid finish normally', async () => {
      const key = await newKey('customer');
      replies.push({ text: 'Within 30 days [1].', delayMs: 300 });
      const response = await call(http, key.secret, '/v1/ask', post({ question: QUESTION }));
      const events = await new SseReader(response).rest();
      expect(events.at(-1)?.event).toBe('done');
      expect(events.filter((event) => event.event === 'error')).toEqual([]);
    }, 30_000);
  });
}
