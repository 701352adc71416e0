import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { supportRoutes } from '../../../apps/support/http.ts';
import { createKnowledgeIndex } from '../../../apps/support/knowledge-index.ts';
import { trainSupportRouter } from '../../../apps/support/scenarios/runner.ts';
import { createSupportService } from '../../../apps/support/service.ts';
import { createGroundwork, type Groundwork } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { createHttpApp } from '../app.ts';
import { type createOpenAPIDocument, toOpenAPIPath } from './document.ts';

type Document = ReturnType<typeof createOpenAPIDocument>;
type Operation = { requestBody?: { content: Record<string, { schema: Record<string, unknown> }> } };

/** The JSON request schema of an operation, turned back into a validator. */
function requestValidator(document: Document, path: string, method: string) {
  const operation = document.paths[path]?.[method] as Operation | undefined;
  const schema = operation?.requestBody?.content['application/json']?.schema;
  if (!schema) throw new Error(`${method} ${path} has no JSON request schema.`);
  return z.fromJSONSchema(schema as never);
}

describe('OpenAPI document', () => {
  let app: Groundwork;
  let http: ReturnType<typeof createHttpApp>;
  let document: Document;

  beforeAll(async () => {
    app = await createGroundwork(loadConfig({ dataDir: 'memory://' }));
    // The support app declares its own routes; mount them as `groundwork support` does.
    const support = createSupportService(app, {
      retriever: await createKnowledgeIndex(),
      router: await trainSupportRouter(),
    });
    http = createHttpApp(app, { routes: [supportRoutes(support)] });
    const response = await http.request('/openapi.json');
    expect(response.status).toBe(200);
    document = (await response.json()) as Document;
  }, 60_000);
  afterAll(async () => {
    // The app opened its own database, so closing it closes the database too.
    await app?.close();
  });

  it('is OpenAPI 3.1 and describes exactly the routes the app serves', () => {
    expect(document.openapi).toBe('3.1.0');
    const served = http.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method.toLowerCase()} ${toOpenAPIPath(route.path)}`);
    const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
      Object.keys(operations).map((method) => `${method} ${path}`),
    );
    expect(served.length).toBeGreaterThan(15);
    expect(new Set(documented)).toEqual(new Set(served));
  });

  it('leaves out an app the server does not mount, so clients can tell it is not there', async () => {
    expect(document.paths['/v1/support/messages']?.post).toBeDefined();
    const plain = createHttpApp(app);
    const without = (await (await plain.request('/openapi.json')).json()) as Document;
    expect(Object.keys(without.paths).filter((path) => path.startsWith('/v1/support'))).toEqual([]);
    expect(without.paths['/v1/chat']?.post).toBeDefined();
  });

  it('gives every operation responses and its error shape', () => {
    for (const [path, operations] of Object.entries(document.paths)) {
      for (const operation of Object.values(operations) as { responses: Record<string, unknown> }[]) {
        const error =
          path.startsWith('/v1/chat/completions') || path === '/v1/models' ? 'OpenAIError' : 'Error';
        expect(operation.responses.default).toMatchObject({
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${error}` } } },
        });
      }
    }
    const upload = document.paths['/v1/documents']?.post as Operation;
    expect(Object.keys(upload.requestBody!.content)).toEqual(['multipart/form-data']);
  });

  it('has request schemas that accept valid bodies and reject invalid ones', () => {
    const search = requestValidator(document, '/v1/search', 'post');
    expect(search.safeParse({ query: 'refunds', limit: 5, filters: { uriPrefix: 'file:///' } }).success).toBe(
      true,
    );
    expect(search.safeParse({ query: 'refunds', limit: 0 }).success).toBe(false);
    expect(search.safeParse({ query: 'refunds', extra: true }).success).toBe(false);

    const ask = requestValidator(document, '/v1/ask', 'post');
    const history = [{ role: 'user', content: 'Hi' }];
    expect(ask.safeParse({ question: 'Refunds?', history, stream: true }).success).toBe(true);
    expect(ask.safeParse({ question: 'Refunds?', history: [{ role: 'system', content: 'x' }] }).success).toBe(
      false,
    );
    expect(ask.safeParse({ limit: 3 }).success).toBe(false);

    const completions = requestValidator(document, '/v1/chat/completions', 'post');
    expect(
      completions.safeParse({
        model: 'groundwork',
        messages: [{ role: 'user', content: 'Hi' }],
        temperature: 0,
      }).success,
    ).toBe(true);
    expect(completions.safeParse({ model: 'groundwork', messages: [] }).success).toBe(false);
  });

  it('states the least role of each operation and that keys are bearer tokens', () => {
    type Secured = { 'x-groundwork-role': string; security?: unknown; requestBody?: { required: boolean } };
    const operation = (path: string, method: string) => document.paths[path]?.[method] as Secured;
    expect(operation('/healthz', 'get')).toMatchObject({ 'x-groundwork-role': 'public' });
    expect(operation('/healthz', 'get').security).toBeUndefined();
    expect(operation('/v1/ask', 'post')).toMatchObject({
      'x-groundwork-role': 'customer',
      security: [{ apiKey: [] }],
    });
    expect(operation('/v1/jobs', 'get')['x-groundwork-role']).toBe('operator');
    expect(operation('/v1/admin/keys', 'post')['x-groundwork-role']).toBe('admin');
    expect(operation('/v1/admin/keys/{id}/rotate', 'post').requestBody?.required).toBe(false);
    const keys = requestValidator(document, '/v1/admin/keys', 'post');
    expect(keys.safeParse({ name: 'bot', role: 'customer', principals: ['user:alice'] }).success).toBe(true);
    expect(keys.safeParse({ name: 'bot', role: 'root' }).success).toBe(false);
    expect(
      (document.components as { securitySchemes: Record<string, unknown> }).securitySchemes.apiKey,
    ).toMatchObject({ type: 'http', scheme: 'bearer' });
  });
});
