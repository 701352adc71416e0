import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createHttpApp } from './app.ts';

describe('web UI serving', () => {
  let root: string;
  let app: Groundwork;
  let http: ReturnType<typeof createHttpApp>;

  beforeAll(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'gw-web-'));
    mkdirSync(path.join(root, 'assets'));
    writeFileSync(path.join(root, 'index.html'), '<!doctype html><div id="app"></div>');
    writeFileSync(
      path.join(root, 'assets', 'index-abc123.js'),
      `console.log(${JSON.stringify('x'.repeat(4000))});`,
    );
    app = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' } }),
    );
    http = createHttpApp(app, { webRoot: root });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves index.html for the root and client-side routes, never cached', async () => {
    for (const url of ['/', '/admin/knowledge', '/admin/knowledge/documents/7', '/prompts/rag.system']) {
      const response = await http.request(url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/html');
      expect(response.headers.get('cache-control')).toBe('no-cache');
      expect(response.headers.get('content-security-policy')).toContain("default-src 'self'");
      expect(await response.text()).toContain('id="app"');
    }
  });

  it('serves hashed assets as immutable, gzipped when asked, with 304 on a matching ETag', async () => {
    const plain = await http.request('/assets/index-abc123.js');
    expect(plain.headers.get('cache-control')).toContain('immutable');
    expect(plain.headers.get('content-type')).toContain('text/javascript');
    const etag = plain.headers.get('etag')!;
    const zipped = await http.request('/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(zipped.headers.get('content-encoding')).toBe('gzip');
    expect(gunzipSync(Buffer.from(await zipped.arrayBuffer())).toString()).toBe(await plain.text());
    const again = await http.request('/assets/index-abc123.js', { headers: { 'if-none-match': etag } });
    expect(again.status).toBe(304);
    expect((await http.request('/assets/missing.js')).status).toBe(404);
  });

  it('never shadows the API: unknown API paths keep the JSON 404, other methods too', async () => {
    for (const url of ['/v1/nope', '/v1', '/metrics/x']) {
      const response = await http.request(url);
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ error: { code: 'route_not_found' } });
    }
    expect((await http.request('/metrics')).headers.get('content-type')).toContain('text/plain');
    expect((await http.request('/healthz')).headers.get('content-type')).toContain('application/json');
    expect((await http.request('/openapi.json')).headers.get('content-type')).toContain('application/json');
    expect((await http.request('/anything', { method: 'POST' })).status).toBe(404);
  });

  it('says how to build the UI when there is no build', async () => {
    const bare = createHttpApp(app, { webRoot: path.join(root, 'absent') });
    const response = await bare.request('/');
    expect(response.status).toBe(404);
    expect(await response.text()).toContain('npm run build:web');
  });

  it('tells the caller who they are: an anonymous admin until keys exist, then the key', async () => {
    const anonymous = await http.request('/v1/me');
    expect(await anonymous.json()).toEqual({
      tenantId: 'default',
      role: 'admin',
      keyId: null,
      keyPrefix: null,
      keyName: null,
      expiresAt: null,
      authenticated: false,
    });
    const issued = await app.keys.create(
      { tenantId: 'acme', name: 'ui', role: 'customer' },
      { actor: 'test' },
    );
    expect((await http.request('/v1/me')).status).toBe(401);
    const me = await http.request('/v1/me', { headers: { authorization: `Bearer ${issued.secret}` } });
    expect(await me.json()).toMatchObject({
      tenantId: 'acme',
      role: 'customer',
      keyId: issued.key.id,
      keyPrefix: issued.key.prefix,
      keyName: 'ui',
      authenticated: true,
    });
  });
});
