/**
 * The response schemas say what the server sends. One real server (PGlite, the support app mounted,
 * a scripted model) answers a representative request per route, one after another, and each success
 * body is parsed with the schema the route declares (server/route-spec.ts), strictly: a field the
 * handler sends and the schema does not name fails, as does one the schema requires and the handler
 * leaves out, a wrong type, or a value outside a declared enum. The OpenAPI document and the web UI's
 * generated types (web/src/api/routes.gen.ts) are written from the same schemas, so a handler that
 * adds, removes or renames a field without its schema fails here instead of drifting silently.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createSupportApp } from '../../apps/support/create-support-app.ts';
import { seedSupportStore } from '../../apps/support/store/seed.ts';
import { createGroundwork, type Groundwork } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createHttpApp } from '../../src/server/app.ts';
import { schemaOf } from '../../src/server/openapi/document.ts';
import type { RouteSpec } from '../../src/server/route-spec.ts';
import { mountedRoutes } from '../../src/server/route-table.ts';
import { appendMessage } from '../../src/store/conversations.ts';
import type { Database } from '../../src/store/database.ts';
import { openDatabase } from '../../src/store/open.ts';
import { createScriptedLanguageModel } from '../../src/testing/scripted-language-model.ts';

const KNOWLEDGE = path.resolve(import.meta.dirname, '../../src/testing/__fixtures__/knowledge');

/**
 * Routes with a JSON success schema that this file does not call, each with its reason. Everything
 * else a full server mounts is called at least once (the last test checks).
 */
const NOT_CALLED: Readonly<Record<string, string>> = {
  'post /v1/support/approvals/:runId/approve':
    'needs a run paused for approval (agents on a model that calls a refund tool); apps/support tests cover it',
  'post /v1/support/approvals/:runId/reject': 'as approve',
  'post /v1/sources/:id/events':
    'needs an S3 source and a notification signed with its secret; src/sources/bucket-source.test.ts covers it',
  'delete /v1/support/lockouts/:id':
    'needs a lockout (repeated failed verifications); the same lockout object as the list, which is called',
};

type Http = ReturnType<typeof createHttpApp>;

describe('every route answers what its response schema declares', () => {
  let db: Database;
  let app: Groundwork;
  let http: Http;
  let routes: readonly RouteSpec[];
  let secret: string;
  const called = new Set<string>();

  beforeAll(async () => {
    db = await openDatabase({ dataDir: 'memory://' });
    const model = createScriptedLanguageModel([() => ({ text: 'Within 30 days [1].' })], { repeat: true });
    app = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: 'none', cache: { answers: { enabled: false } } }),
      { db, languageModel: { model, name: 'test:scripted' } },
    );
    await app.ingestion.submit(
      'default',
      { sources: [{ kind: 'path', path: KNOWLEDGE }] },
      { trusted: true },
    );
    await app.ingestion.drain();
    // The support app on its no-LLM policy: its answers do not depend on a scripted conversation.
    const support = await createSupportApp(app, { model: null, operatorTools: [] });
    await seedSupportStore(db, { tenantId: 'default', now: new Date() });
    http = createHttpApp(app, { webRoot: null, ...support.http });
    routes = mountedRoutes(http);
    const issued = await app.keys.create(
      { tenantId: 'default', name: 'contract', role: 'admin', platform: true },
      { actor: 'cli' },
    );
    secret = issued.secret;
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  /**
   * Sends `method url` (the route `route`, `method path` as declared), expects a success and checks
   * its body against the declared schema of that status. Returns the body.
   */
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field to build later requests
  async function call(route: string, url: string, body?: unknown): Promise<any> {
    const [method, routePath] = route.split(' ') as [string, string];
    const spec = routes.find((one) => one.method === method && one.path === routePath);
    expect(spec, `${route} is not mounted`).toBeDefined();
    const headers = new Headers({ authorization: `Bearer ${secret}` });
    let payload: FormData | string | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers.set('content-type', 'application/json');
      payload = JSON.stringify(body);
    }
    const response = await http.request(url, { method: method.toUpperCase(), headers, body: payload });
    const text = await response.text();
    expect(response.status, `${route}: ${text}`).toBeLessThan(300);
    const declared = spec!.responses[response.status];
    expect(declared?.schema, `${route} declares no JSON body for ${response.status}`).toBeDefined();
    const json = JSON.parse(text);
    conforms(route, declared!.schema!, json);
    called.add(route);
    return json;
  }

  it('GET /healthz, /readyz', async () => {
    await call('get /healthz', '/healthz');
    await call('get /readyz', '/readyz');
  });

  it('GET /v1/me', async () => {
    await call('get /v1/me', '/v1/me');
  });

  let traceId = '';
  let conversationId = '';
  it('POST /v1/ask, /v1/chat, /v1/search', async () => {
    const asked = await call('post /v1/ask', '/v1/ask', {
      question: 'How long do I have to return an item?',
    });
    traceId = asked.traceId;
    const chatted = await call('post /v1/chat', '/v1/chat', { question: 'How long do I have to return it?' });
    conversationId = chatted.conversationId;
    await call('post /v1/search', '/v1/search', { query: 'return window' });
  });

  it('the OpenAI-compatible door', async () => {
    await call('get /v1/models', '/v1/models');
    await call('post /v1/chat/completions', '/v1/chat/completions', {
      model: 'groundwork',
      messages: [{ role: 'user', content: 'How long do I have to return an item?' }],
    });
  });

  it('feedback', async () => {
    await call('post /v1/feedback', '/v1/feedback', { traceId, rating: 'up', comment: 'Clear.' });
    await call('get /v1/feedback', '/v1/feedback');
  });

  it('documents and jobs', async () => {
    const { documents } = await call('get /v1/documents', '/v1/documents');
    expect(documents.length).toBeGreaterThan(0);
    await call('get /v1/documents/:id', `/v1/documents/${documents[0].id}`);
    const form = new FormData();
    form.append(
      'file',
      new File(['# Note\n\nParcels ship within two days.'], 'note.md', { type: 'text/markdown' }),
    );
    const uploaded = await call('post /v1/documents', '/v1/documents', form);
    await app.ingestion.drain();
    await call('get /v1/jobs/:id', `/v1/jobs/${uploaded.job.id}`);
    const { jobs } = await call('get /v1/jobs', '/v1/jobs');
    expect(jobs.length).toBeGreaterThan(1);
    // Queued and not run (the worker is not started here), then cancelled.
    const queued = await call('post /v1/ingest', '/v1/ingest', {
      sources: [{ kind: 'url', url: 'https://example.invalid/page' }],
    });
    await call('delete /v1/jobs/:id', `/v1/jobs/${queued.job.id}`);
  });

  it('sources', async () => {
    // Queued and not run: the worker is not started here, and the URL is never fetched.
    const { source } = await call('post /v1/sources', '/v1/sources', {
      kind: 'urls',
      name: 'contract-site',
      urls: ['https://example.invalid/page'],
    });
    await call('get /v1/sources', '/v1/sources');
    await call('get /v1/sources/:id', `/v1/sources/${source.id}`);
    await call('patch /v1/sources/:id', `/v1/sources/${source.id}`, { name: 'contract-site-2' });
    await call('post /v1/sources/:id/sync', `/v1/sources/${source.id}/sync`);
    await call('delete /v1/sources/:id', `/v1/sources/${source.id}`);
  });

  it('traces and usage', async () => {
    const { traces } = await call('get /v1/traces', '/v1/traces');
    expect(traces.length).toBeGreaterThan(0);
    await call('get /v1/traces/:id', `/v1/traces/${traceId}`);
    const to = new Date(Date.now() + 3_600_000).toISOString();
    const from = new Date(Date.now() - 86_400_000).toISOString();
    await call(
      'get /v1/usage',
      `/v1/usage?${new URLSearchParams({ from, to, groupBy: 'model,tenant', bucket: 'hour' })}`,
    );
  });

  it('prompts and experiments', async () => {
    const body = {
      name: 'greeting',
      template: 'Hello {{name}}.',
      variables: [{ name: 'name', type: 'string' }],
    };
    await call('post /v1/prompts', '/v1/prompts', { ...body, description: 'Says hello.' });
    await call('post /v1/prompts', '/v1/prompts', { ...body, template: 'Hi {{name}}.', note: 'shorter' });
    await call('get /v1/prompts', '/v1/prompts');
    await call('get /v1/prompts/:name', '/v1/prompts/greeting');
    await call('get /v1/prompts/:name/versions/:version', '/v1/prompts/greeting/versions/1');
    await call('post /v1/prompts/:name/promote', '/v1/prompts/greeting/promote', {
      version: 1,
      label: 'production',
    });
    await call('post /v1/prompts/:name/promote', '/v1/prompts/greeting/promote', {
      version: 2,
      label: 'production',
    });
    await call('post /v1/prompts/:name/rollback', '/v1/prompts/greeting/rollback', { label: 'production' });
    await call('post /v1/prompts/:name/render', '/v1/prompts/greeting/render', { values: { name: 'Ann' } });
    const { experiment } = await call('post /v1/experiments', '/v1/experiments', {
      name: 'shorter',
      promptName: 'greeting',
      arms: [
        { name: 'control', version: 1 },
        { name: 'short', version: 2 },
      ],
    });
    await call('get /v1/experiments', '/v1/experiments');
    await call('get /v1/experiments/:id', `/v1/experiments/${experiment.id}`);
    await call('get /v1/experiments/:id/results', `/v1/experiments/${experiment.id}/results`);
    await call('post /v1/experiments/:id/stop', `/v1/experiments/${experiment.id}/stop`);
  });

  it('the operator inbox and the customer’s view', async () => {
    await app.db.transaction(async (tx) => {
      await appendMessage(tx, 'default', conversationId, {
        role: 'tool',
        content: 'order_status',
        details: { toolName: 'order_status', output: 'shipped' },
      });
    });
    const escalation = await app.inbox.escalate({
      tenantId: 'default',
      conversationId,
      trigger: 'customer-request',
      reason: 'Wants a person',
      notes: [{ agent: 'triage', text: 'Asked twice.' }],
    });
    const id = escalation.id;
    await call('get /v1/inbox', '/v1/inbox');
    await call('post /v1/inbox/:id/claim', `/v1/inbox/${id}/claim`);
    await call('post /v1/inbox/:id/reply', `/v1/inbox/${id}/reply`, { text: 'I am on it.' });
    await call('get /v1/inbox/:id', `/v1/inbox/${id}`);
    await call('get /v1/conversations/:id/messages', `/v1/conversations/${conversationId}/messages`);
    await call('post /v1/inbox/:id/handback', `/v1/inbox/${id}/handback`);
    // A handed-back case can be taken again and handed back; a second one is claimed and closed.
    await call('post /v1/inbox/:id/claim', `/v1/inbox/${id}/claim`);
    await call('post /v1/inbox/:id/handback', `/v1/inbox/${id}/handback`);
    await call('get /v1/inbox/summary', '/v1/inbox/summary');
    const second = await call('post /v1/chat', '/v1/chat', { question: 'Can I speak to a person?' });
    const { id: secondId } = await app.inbox.escalate({
      tenantId: 'default',
      conversationId: second.conversationId,
      trigger: 'customer-request',
      reason: 'Wants a person',
      notes: [],
    });
    await call('post /v1/inbox/:id/claim', `/v1/inbox/${secondId}/claim`);
    await call('post /v1/inbox/:id/close', `/v1/inbox/${secondId}/close`, { resolution: 'Refunded.' });
    await call('get /v1/inbox', '/v1/inbox?status=closed&order=newest');
  });

  it('keys, sessions and guardrails', async () => {
    const created = await call('post /v1/admin/keys', '/v1/admin/keys', {
      name: 'widget',
      role: 'customer',
      quota: { period: 'day', requests: 100 },
    });
    await call('get /v1/admin/keys', '/v1/admin/keys');
    await call('post /v1/admin/keys/:id/quota', `/v1/admin/keys/${created.key.id}/quota`, {
      quota: { period: 'month', tokens: 10_000 },
    });
    const rotated = await call('post /v1/admin/keys/:id/rotate', `/v1/admin/keys/${created.key.id}/rotate`, {
      graceSeconds: 60,
    });
    await call('post /v1/admin/keys/:id/revoke', `/v1/admin/keys/${rotated.key.id}/revoke`);
    const session = await call('post /v1/sessions', '/v1/sessions', { customerId: 'cust-0001' });
    await call('delete /v1/sessions/:id', `/v1/sessions/${session.sessionId}`);
    await call('delete /v1/sessions', `/v1/sessions?keyId=${created.key.id}`);
    await call('get /v1/admin/guardrails', '/v1/admin/guardrails');
    await call('put /v1/admin/guardrails', '/v1/admin/guardrails', { moderation: { violence: 'escalate' } });
  });

  it('the support app', async () => {
    await call('post /v1/support/messages', '/v1/support/messages', { message: 'Where is my order?' });
    await call('get /v1/support/approvals', '/v1/support/approvals');
    await call('get /v1/support/lockouts', '/v1/support/lockouts?all=true');
  });

  it('privacy export and erasure', async () => {
    await call('get /v1/admin/privacy/customers/:id/export', '/v1/admin/privacy/customers/cust-0001/export');
    await call('delete /v1/admin/privacy/customers/:id', '/v1/admin/privacy/customers/cust-0001');
  });

  it('every route with a JSON success body was called', () => {
    const withBody = routes
      .filter((route) =>
        Object.entries(route.responses).some(([status, response]) => Number(status) < 300 && response.schema),
      )
      .map((route) => `${route.method} ${route.path}`);
    expect(withBody.filter((route) => !called.has(route) && !NOT_CALLED[route])).toEqual([]);
  });

  it('no response schema leaves an object with named fields open to others', () => {
    const open = routes.flatMap((route) =>
      Object.entries(route.responses).flatMap(([status, response]) =>
        response.schema
          ? openObjects(schemaOf(response.schema, 'output')).map(
              (where) => `${route.method} ${route.path} ${status} ${where}`,
            )
          : [],
      ),
    );
    expect(open).toEqual([]);
  });
});

/**
 * `body` parses with `schema`, and parsing keeps every field: objects of response schemas strip
 * what they do not declare, so a field the handler sends beyond its schema makes the parsed value
 * differ from the body.
 */
function conforms(route: string, schema: z.ZodType, body: unknown): void {
  const parsed = schema.safeParse(body);
  // Soft: the test goes on to the routes after, so one run lists every disagreement.
  if (!parsed.success) {
    expect.soft(z.prettifyError(parsed.error), `${route}: the body does not match its schema`).toBe('');
  } else {
    expect.soft(parsed.data, `${route}: the body has fields its schema does not declare`).toStrictEqual(body);
  }
}

/** JSON pointers of object nodes that name properties and still admit any other. */
function openObjects(node: unknown, at = ''): string[] {
  if (!node || typeof node !== 'object') return [];
  const record = node as Record<string, unknown>;
  const here =
    record.properties && record.additionalProperties !== undefined && record.additionalProperties !== false
      ? [at || '/']
      : [];
  return [...here, ...Object.entries(record).flatMap(([key, child]) => openObjects(child, `${at}/${key}`))];
}
