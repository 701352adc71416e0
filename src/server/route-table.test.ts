import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { supportRoutes } from '../../apps/support/http.ts';
import { trainSupportRouter } from '../../apps/support/scenarios/runner.ts';
import { createSupportService } from '../../apps/support/service.ts';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from './app.ts';
import type { ServerEnv } from './authenticate.ts';
import { declareRoutes, type RouteSpec } from './route-spec.ts';
import { mountedRoutes, RouteTable, routeTableOf } from './route-table.ts';

const spec = (method: RouteSpec['method'], path: string, extra: Partial<RouteSpec> = {}): RouteSpec => ({
  method,
  path,
  tag: 'test',
  summary: 'A test route.',
  access: 'operator',
  responses: { 200: { description: 'OK.' } },
  ...extra,
});

describe('route declarations', () => {
  let app: Groundwork;
  let http: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    app = await createGroundwork(loadConfig({ dataDir: 'memory://' }));
    const support = createSupportService(app, {
      retriever: app.retriever,
      router: await trainSupportRouter(),
    });
    http = createHttpApp(app, { webRoot: null, routes: [supportRoutes(support)] });
  }, 60_000);
  afterAll(async () => {
    await app?.close();
  });

  it('every mounted route has a declaration, and every declaration is mounted', () => {
    const served = http.routes
      .filter((route) => route.method !== 'ALL')
      .map((route) => `${route.method.toLowerCase()} ${route.path}`);
    const declared = mountedRoutes(http).map((route) => `${route.method} ${route.path}`);
    expect(served.length).toBeGreaterThan(60);
    expect(new Set(declared).size).toBe(declared.length);
    expect(new Set(served)).toEqual(new Set(declared));
    // The support app brings its own declarations.
    expect(declared).toContain('post /v1/support/messages');
  });

  it('looks up a request by its route: static segments before parameters, HEAD by GET', () => {
    const table = routeTableOf(http);
    expect(table.find('GET', '/v1/inbox/events')).toMatchObject({ path: '/v1/inbox/events', timeout: false });
    expect(table.find('GET', '/v1/inbox/42')).toMatchObject({ path: '/v1/inbox/:id' });
    expect(table.find('HEAD', '/v1/jobs/7/events')).toMatchObject({ timeout: false });
    expect(table.find('POST', '/v1/documents')).toMatchObject({ body: 'streamed' });
    expect(table.accessOf('GET', '/v1/nothing-here')).toBe('admin');
    expect(table.accessOf('GET', '/healthz')).toBe('public');
    expect(table.errorsOf('/v1/models')).toBe('openai');
    expect(table.errorsOf('/v1/chat')).toBe('groundwork');
    const spending = mountedRoutes(http)
      .filter((route) => route.spendsTokens)
      .map((route) => `${route.method} ${route.path}`);
    expect(spending.sort()).toEqual(['post /v1/ask', 'post /v1/chat', 'post /v1/chat/completions']);
  });

  it('refuses to mount a module whose handlers and declarations differ', () => {
    const table = new RouteTable(new Hono<ServerEnv>());
    const undeclared = declareRoutes([spec('get', '/a')])
      .get('/a', (context) => context.text('a'))
      .post('/b', (context) => context.text('b'));
    expect(() => table.mount(undeclared)).toThrow(/undeclared \[POST \/b\]/);
    const unserved = declareRoutes([spec('get', '/a'), spec('delete', '/a')]).get('/a', (context) =>
      context.text('a'),
    );
    expect(() => table.mount(unserved)).toThrow(/unserved \[DELETE \/a\]/);
    const twice = declareRoutes([spec('get', '/a'), spec('get', '/a')]).get('/a', (context) =>
      context.text('a'),
    );
    expect(() => table.mount(twice)).toThrow(/declared twice/);
    const plain = new Hono<ServerEnv>().get('/a', (context) => context.text('a'));
    expect(() => table.mount(plain)).toThrow(/must declare its routes/);
    expect(table.routes).toEqual([]);
  });

  it('an app route mounted without declarations fails at start, not silently at the first request', () => {
    const plain = new Hono<ServerEnv>().get('/v1/extra', (context) => context.text('x'));
    expect(() => createHttpApp(app, { webRoot: null, routes: [plain] })).toThrow(/must declare its routes/);
  });
});
