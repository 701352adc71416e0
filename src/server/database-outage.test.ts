/**
 * While the database is unavailable every route answers 503 `database_unavailable` with
 * `Retry-After` (JSON in the common shape, OpenAI's shape on the OpenAI-compatible routes, an `error`
 * event inside an event stream that had already started), never 500, and no route crashes the
 * process. Once the database is back, the same requests succeed. Outages: embedded PGlite closed
 * under the app; a Postgres server behind a proxy that cuts and refuses connections.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { Database } from '../store/database.ts';
import { migrate } from '../store/migrate.ts';
import { openDatabase } from '../store/open.ts';
import { createScratchDatabase } from '../testing/databases.ts';
import { type FaultProxy, startFaultProxy } from '../testing/fault-proxy.ts';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createHttpApp } from './app.ts';

const KNOWLEDGE = path.resolve(import.meta.dirname, '../testing/__fixtures__/knowledge');
const UUID = '00000000-0000-4000-8000-000000000001';

/** A valid body for routes that read one, so the request gets past validation to the database. */
const BODIES: Record<string, unknown> = {
  'POST /v1/search': { query: 'return a thermostat' },
  'POST /v1/ask': { question: 'How long do I have to return a thermostat?' },
  'POST /v1/chat': { message: 'How long do I have to return a thermostat?' },
  'POST /v1/ingest': { sources: [{ kind: 'url', url: 'https://example.com/a' }] },
  'POST /v1/chat/completions': { model: 'groundwork', messages: [{ role: 'user', content: 'Returns?' }] },
  'POST /v1/feedback': { traceId: 'abc', rating: 'up' },
  'POST /v1/admin/keys': { name: 'ops', role: 'admin' },
  'POST /v1/prompts': { name: 'extra', template: 'Hi {{question}}' },
  'POST /v1/sessions': {},
};

/** Routes that answer without the database (or without reading it first), by design. */
const NO_DATABASE = new Set([
  'GET /healthz',
  'GET /v1/models',
  'GET /openapi.json',
  // With auth off: who the caller is, and the in-process inbox event stream.
  'GET /v1/me',
  'GET /v1/inbox/events',
]);

interface Outage {
  readonly name: string;
  open(): Promise<{ db: Database; begin(): Promise<void>; end?(): Promise<void>; close(): Promise<void> }>;
}

const outages: Outage[] = [
  {
    name: 'embedded PGlite closed',
    open: async () => {
      const db = await openDatabase({ dataDir: 'memory://' });
      return { db, begin: () => db.close(), close: async () => {} };
    },
  },
];
const serverUrl = process.env.GROUNDWORK_TEST_DATABASE_URL;
if (serverUrl) {
  outages.push({
    name: 'Postgres server unreachable',
    open: async () => {
      const scratch = await createScratchDatabase(serverUrl);
      const proxy: FaultProxy = await startFaultProxy(scratch.url);
      const db = await openDatabase({ databaseUrl: proxy.url });
      return {
        db,
        begin: async () => {
          proxy.setMode('refuse');
          proxy.cut();
        },
        end: async () => proxy.setMode('pass'),
        close: async () => {
          await db.close();
          await proxy.close();
          await scratch.drop();
        },
      };
    },
  });
}

/** OpenAI's error body: `{error: {message, type, param, code}}`, which the official clients parse. */
function isOpenAIShaped(body: unknown): boolean {
  const error = (body as { error?: Record<string, unknown> }).error;
  return (
    typeof error?.message === 'string' &&
    typeof error.type === 'string' &&
    'param' in error &&
    typeof error.code === 'string'
  );
}

function requestFor(method: string, routePath: string): { url: string; init: RequestInit } {
  const url = routePath
    .replace(/:id\b|:runId\b/g, UUID)
    .replace(/:name\b/g, 'answer')
    .replace(/:version\b/g, '1');
  const body = BODIES[`${method} ${routePath}`];
  const init: RequestInit = { method };
  if (method !== 'GET' && method !== 'DELETE') {
    init.headers = { 'content-type': 'application/json' };
    init.body = JSON.stringify(body ?? {});
  }
  return { url, init };
}

for (const outage of outages) {
  describe(`API while the database is unavailable (${outage.name})`, () => {
    let app: Groundwork;
    let guarded: Groundwork;
    let http: ReturnType<typeof createHttpApp>;
    let secret = '';
    let handle: Awaited<ReturnType<Outage['open']>>;
    const uncaught: unknown[] = [];
    const onUncaught = (error: unknown) => uncaught.push(error);

    beforeAll(async () => {
      process.on('uncaughtException', onUncaught);
      process.on('unhandledRejection', onUncaught);
      handle = await outage.open();
      await migrate(handle.db);
      const model = createScriptedLanguageModel([() => ({ text: 'Within 30 days [1].' })], { repeat: true });
      app = await createGroundwork(loadConfig({ dataDir: 'memory://', auth: 'off' }), {
        db: handle.db,
        languageModel: { model, name: 'test:scripted' },
      });
      await app.ingestion.submit(
        'default',
        { sources: [{ kind: 'path', path: KNOWLEDGE }] },
        { trusted: true },
      );
      await app.ingestion.drain();
      http = createHttpApp(app, { webRoot: null });
      guarded = await createGroundwork(loadConfig({ dataDir: 'memory://', auth: 'required' }), {
        db: handle.db,
      });
      secret = (
        await guarded.keys.create({ tenantId: 'default', name: 'ops', role: 'admin' }, { actor: 'cli' })
      ).secret;
      await handle.begin();
    });
    afterAll(async () => {
      await app?.close().catch(() => {});
      await guarded?.close().catch(() => {});
      await handle?.close();
      process.off('uncaughtException', onUncaught);
      process.off('unhandledRejection', onUncaught);
    });

    it('every route answers 503 database_unavailable with Retry-After, never 500', async () => {
      const routes = http.routes.filter(
        (route) => ['GET', 'POST', 'DELETE'].includes(route.method) && !route.path.includes('*'),
      );
      const seen = new Set<string>();
      const wrong: string[] = [];
      for (const route of routes) {
        const key = `${route.method} ${route.path}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const { url, init } = requestFor(route.method, route.path);
        if (NO_DATABASE.has(key)) continue;
        const response = await http.request(url, init);
        const text = await response.text();
        if (response.status >= 500 && response.status !== 503)
          wrong.push(`${key} → ${response.status} ${text}`);
        if (response.status !== 503) {
          // 4xx for a body or id the route refuses before it reads anything is fine; 2xx only by design.
          if (response.status < 400 && !NO_DATABASE.has(key)) wrong.push(`${key} → ${response.status}`);
          continue;
        }
        const body = JSON.parse(text) as { error: { code: string; type?: string } };
        if (body.error.code !== 'database_unavailable') wrong.push(`${key} → 503 ${text}`);
        if (!/^\d+$/.test(response.headers.get('retry-after') ?? '')) wrong.push(`${key} → no Retry-After`);
        if (route.path.startsWith('/v1/chat/completions') && !isOpenAIShaped(body))
          wrong.push(`${key} → not OpenAI-shaped: ${text}`);
      }
      expect(seen.size).toBeGreaterThan(30);
      expect(wrong).toEqual([]);
      expect(uncaught).toEqual([]);
    });

    it('a caller with an API key gets 503, not 401, when the key cannot be looked up', async () => {
      const guardedHttp = createHttpApp(guarded, { webRoot: null });
      for (const path of ['/v1/me', '/v1/models', '/v1/documents']) {
        const response = await guardedHttp.request(path, { headers: { authorization: `Bearer ${secret}` } });
        expect(response.status, path).toBe(503);
        const body = (await response.json()) as { error: { code: string } };
        expect(body.error.code).toBe('database_unavailable');
        // The OpenAI-compatible door answers in OpenAI's shape even when the key lookup fails.
        expect(isOpenAIShaped(body), path).toBe(path === '/v1/models');
      }
    });

    it('an answer stream ends with a database_unavailable error event', async () => {
      const response = await http.request('/v1/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify({ question: 'How long do I have to return a thermostat?' }),
      });
      const text = await response.text();
      if (response.status === 503) {
        expect(JSON.parse(text).error.code).toBe('database_unavailable');
      } else {
        expect(text).toMatch(/event: error\ndata: .*"code":"database_unavailable"/);
        expect(text).not.toContain('internal_error');
      }
    });

    it('the OpenAI-compatible stream fails in OpenAI’s shape with 503', async () => {
      const response = await http.request('/v1/chat/completions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'groundwork',
          stream: true,
          messages: [{ role: 'user', content: 'How long do I have to return a thermostat?' }],
        }),
      });
      expect(response.status).toBe(503);
      expect(response.headers.get('retry-after')).toMatch(/^\d+$/);
      const body = (await response.json()) as { error: { code: string; type: string } };
      expect(body.error.code).toBe('database_unavailable');
      expect(isOpenAIShaped(body)).toBe(true);
    });

    it.skipIf(!outage.name.startsWith('Postgres'))('answers again once the database is back', async () => {
      await handle.end?.();
      expect((await http.request('/readyz')).status).toBe(200);
      const search = await http.request('/v1/search', requestFor('POST', '/v1/search').init);
      expect(search.status).toBe(200);
      const ask = await http.request('/v1/ask', requestFor('POST', '/v1/ask').init);
      expect(ask.status).toBe(200);
    });
  });
}
