/**
 * Held-out input tricks against the real HTTP API: NUL characters and unpaired surrogates in every
 * kind of string field (JSON bodies, nested filters, object keys, query strings, path parameters,
 * the support app's messages), and, with auth off, the browser's reach (DNS rebinding through the
 * Host header, cross-site form posts). Each must be a 4xx with a stable code; nothing answers 500,
 * and a refused write stores nothing.
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createHttpApp } from '../../src/server/app.ts';
import type { Database } from '../../src/store/database.ts';
import { testBackends } from '../../src/testing/databases.ts';
import { type FullServer, openFullServer } from '../../src/testing/full-server.ts';

type Http = ReturnType<typeof createHttpApp>;

const NUL = 'a\u0000b';
const HIGH = 'a\uD800b';
const LOW = '\uDC00z';
const BAD = [NUL, HIGH, LOW] as const;

/** One request carrying `bad` somewhere; `{trace}` is replaced by a real trace id. */
interface TextCase {
  readonly id: string;
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: (bad: string) => string;
  readonly body?: (bad: string, trace: string) => unknown;
}

/**
 * Percent-encodes `text` as a client could put it on the wire: an unpaired surrogate (which
 * `encodeURIComponent` refuses) as the three bytes of its CESU-8 form, e.g. `%ED%A0%80`.
 */
function enc(text: string): string {
  let out = '';
  for (const unit of text) {
    const code = unit.charCodeAt(0);
    if (unit.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      const bytes = [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)];
      out += bytes.map((byte) => `%${byte.toString(16).toUpperCase()}`).join('');
    } else out += encodeURIComponent(unit);
  }
  return out;
}
const TEXT_CASES: readonly TextCase[] = [
  { id: 'search query', method: 'POST', path: () => '/v1/search', body: (bad) => ({ query: bad }) },
  {
    id: 'search metadata filter value',
    method: 'POST',
    path: () => '/v1/search',
    body: (bad) => ({ query: 'return', filters: { metadata: { team: bad } } }),
  },
  {
    id: 'search metadata filter key',
    method: 'POST',
    path: () => '/v1/search',
    body: (bad) => ({ query: 'return', filters: { metadata: { [bad]: 'x' } } }),
  },
  {
    id: 'search uriPrefix',
    method: 'POST',
    path: () => '/v1/search',
    body: (bad) => ({ query: 'return', filters: { uriPrefix: bad } }),
  },
  {
    id: 'ask question',
    method: 'POST',
    path: () => '/v1/ask',
    body: (bad) => ({ question: `return ${bad}` }),
  },
  {
    id: 'ask history',
    method: 'POST',
    path: () => '/v1/ask',
    body: (bad) => ({ question: 'return?', history: [{ role: 'user', content: bad }] }),
  },
  { id: 'chat question', method: 'POST', path: () => '/v1/chat', body: (bad) => ({ question: bad }) },
  {
    id: 'openai chat message',
    method: 'POST',
    path: () => '/v1/chat/completions',
    body: (bad) => ({ model: 'groundwork', messages: [{ role: 'user', content: bad }] }),
  },
  {
    id: 'feedback comment',
    method: 'POST',
    path: () => '/v1/feedback',
    body: (bad, trace) => ({ traceId: trace, rating: 'down', comment: bad }),
  },
  {
    id: 'feedback category',
    method: 'POST',
    path: () => '/v1/feedback',
    body: (bad, trace) => ({ traceId: trace, rating: 'down', category: bad }),
  },
  {
    id: 'feedback trace id',
    method: 'POST',
    path: () => '/v1/feedback',
    body: (bad) => ({ traceId: bad, rating: 'up' }),
  },
  {
    id: 'key name',
    method: 'POST',
    path: () => '/v1/admin/keys',
    body: (bad) => ({ name: bad, role: 'customer' }),
  },
  {
    id: 'key principals',
    method: 'POST',
    path: () => '/v1/admin/keys',
    body: (bad) => ({ name: 'k', role: 'customer', principals: [`group:${bad}`] }),
  },
  { id: 'prompt name in path', method: 'GET', path: (bad) => `/v1/prompts/${enc(bad)}` },
  {
    id: 'prompt name in render path',
    method: 'POST',
    path: (bad) => `/v1/prompts/${enc(bad)}/render`,
    body: () => ({ values: {} }),
  },
  {
    id: 'prompt template',
    method: 'POST',
    path: () => '/v1/prompts',
    body: (bad) => ({ name: 'p', template: `Hello ${bad}` }),
  },
  {
    id: 'ingest url',
    method: 'POST',
    path: () => '/v1/ingest',
    body: (bad) => ({ sources: [{ kind: 'url', url: `https://example.com/${bad}` }] }),
  },
  {
    id: 'ingest metadata',
    method: 'POST',
    path: () => '/v1/ingest',
    body: (bad) => ({ sources: [{ kind: 'url', url: 'https://example.com/' }], metadata: { team: bad } }),
  },
  {
    id: 'ingest acl',
    method: 'POST',
    path: () => '/v1/ingest',
    body: (bad) => ({ sources: [{ kind: 'url', url: 'https://example.com/' }], acl: [bad] }),
  },
  {
    id: 'session customer id',
    method: 'POST',
    path: () => '/v1/sessions',
    body: (bad) => ({ customerId: bad }),
  },
  { id: 'job id in path', method: 'GET', path: (bad) => `/v1/jobs/${enc(bad)}` },
  { id: 'experiment id in path', method: 'GET', path: (bad) => `/v1/experiments/${enc(bad)}` },
  { id: 'inbox id in path', method: 'POST', path: (bad) => `/v1/inbox/${enc(bad)}/claim` },
  { id: 'conversation id in path', method: 'GET', path: (bad) => `/v1/conversations/${enc(bad)}/messages` },
  { id: 'trace id in path', method: 'GET', path: (bad) => `/v1/traces/${enc(bad)}` },
  { id: 'feedback category query', method: 'GET', path: (bad) => `/v1/feedback?category=${enc(bad)}` },
  { id: 'trace list query', method: 'GET', path: (bad) => `/v1/traces?name=${enc(bad)}` },
  { id: 'document list query', method: 'GET', path: (bad) => `/v1/documents?uriPrefix=${enc(bad)}` },
  {
    id: 'support message',
    method: 'POST',
    path: () => '/v1/support/messages',
    body: (bad) => ({ message: bad }),
  },
  {
    id: 'support conversation id',
    method: 'POST',
    path: () => '/v1/support/messages',
    body: (bad) => ({ message: 'hello', conversationId: bad }),
  },
  {
    id: 'support run id in path',
    method: 'POST',
    path: (bad) => `/v1/support/approvals/${enc(bad)}/approve`,
  },
  { id: 'support lockout id in path', method: 'DELETE', path: (bad) => `/v1/support/lockouts/${enc(bad)}` },
];

const JSON_HEADERS = { 'content-type': 'application/json' };

async function errorCode(response: Response): Promise<string | undefined> {
  const text = await response.text();
  try {
    const body = JSON.parse(text) as { error?: { code?: string } };
    return body.error?.code;
  } catch {
    return undefined;
  }
}

for (const backend of testBackends()) {
  describe(`input tricks on ${backend.name}`, () => {
    let db: Database;
    let http: Http;
    let secret: string;
    let trace: string;
    let server: FullServer | undefined;

    beforeAll(async () => {
      server = await openFullServer(backend, { config: { auth: 'required' } });
      ({ http, db } = server);
      secret = await server.keyFor('admin');
      const asked = await call('POST', '/v1/ask', { question: 'How long do I have to return it?' });
      expect(asked.status).toBe(200);
      trace = ((await asked.json()) as { traceId: string }).traceId;
    }, 120_000);
    afterAll(async () => {
      await server?.close();
    });

    async function call(method: string, path: string, body?: unknown): Promise<Response> {
      return http.request(path, {
        method,
        headers: { authorization: `Bearer ${secret}`, ...(body === undefined ? {} : JSON_HEADERS) },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    }

    it.each(TEXT_CASES.map((testCase) => [testCase.id, testCase] as const))(
      '%s: NUL and unpaired surrogates are a 400 invalid_text',
      async (_id, testCase) => {
        for (const bad of BAD) {
          const response = await call(testCase.method, testCase.path(bad), testCase.body?.(bad, trace));
          const code = await errorCode(response);
          expect({ bad: JSON.stringify(bad), status: response.status, code }).toEqual({
            bad: JSON.stringify(bad),
            status: 400,
            code: 'invalid_text',
          });
        }
      },
    );

    it('a refused write stores nothing: no key, no prompt, no feedback, no job', async () => {
      const before = await counts(db);
      for (const bad of BAD) {
        await call('POST', '/v1/admin/keys', { name: bad, role: 'customer' });
        await call('POST', '/v1/prompts', { name: 'p', template: bad });
        await call('POST', '/v1/feedback', { traceId: trace, rating: 'down', comment: bad });
        await call('POST', '/v1/ingest', {
          sources: [{ kind: 'url', url: 'https://example.com/' }],
          acl: [bad],
        });
      }
      expect(await counts(db)).toEqual(before);
    });

    it('escaped NUL in raw JSON (\\u0000) and in a raw object key is refused like a literal one', async () => {
      for (const raw of ['{"query":"x\\u0000y"}', '{"query":"x","filters":{"metadata":{"\\u0000":"v"}}}']) {
        const response = await http.request('/v1/search', {
          method: 'POST',
          headers: { authorization: `Bearer ${secret}`, ...JSON_HEADERS },
          body: raw,
        });
        expect([response.status, await errorCode(response)]).toEqual([400, 'invalid_text']);
      }
    });

    it('well-formed text outside the BMP (emoji, CJK, combining marks) is accepted', async () => {
      const response = await call('POST', '/v1/search', { query: 'return 😀 退货 é' });
      expect(response.status).toBe(200);
    });
  });
}

async function counts(db: Database) {
  const { rows } = await db.query<{ keys: number; prompts: number; feedback: number; jobs: number }>(
    `SELECT (SELECT count(*)::int FROM api_keys) AS keys, (SELECT count(*)::int FROM prompt_versions) AS prompts,
            (SELECT count(*)::int FROM feedback) AS feedback, (SELECT count(*)::int FROM ingest_jobs) AS jobs`,
  );
  return rows[0];
}

describe('browser safety with auth off (the quick-start default)', () => {
  let db: Database;
  let app: Groundwork;
  let http: Http;

  beforeAll(async () => {
    db = await testBackends()[0]!.open();
    app = await createGroundwork(
      loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' }, auth: 'auto' }),
      {
        db,
      },
    );
    http = createHttpApp(app, { webRoot: null });
  }, 120_000);
  afterAll(async () => {
    await app?.close();
    await db?.close();
  });

  const at = (host: string, path: string, init: RequestInit = {}) =>
    http.request(`http://${host}${path}`, init);
  const search = JSON.stringify({ query: 'return' });

  it.each([['localhost:8787'], ['127.0.0.1:8787'], ['[::1]:8787'], ['localhost'], ['127.0.0.1']])(
    'loopback Host %s is served',
    async (host) => {
      const response = await at(host, '/v1/search', { method: 'POST', headers: JSON_HEADERS, body: search });
      expect(response.status).toBe(200);
    },
  );

  it.each([
    ['attacker.example:8787'],
    ['attacker.example'],
    ['127.0.0.1.nip.io:8787'],
    ['localhost.attacker.example'],
    ['192.168.1.20:8787'],
    ['0.0.0.0:8787'],
  ])('a rebinding Host %s is refused (reads too)', async (host) => {
    for (const init of [{}, { method: 'POST', headers: JSON_HEADERS, body: search }] as RequestInit[]) {
      const response = await at(host, init.method ? '/v1/search' : '/v1/documents', init);
      expect([421, 403]).toContain(response.status);
      expect(await errorCode(response)).toBe('host_not_allowed');
    }
  });

  it.each([
    ['a cross-site form post', 'application/x-www-form-urlencoded', 'https://attacker.example'],
    ['a cross-site text/plain post', 'text/plain', 'https://attacker.example'],
    ['a cross-site multipart post', 'multipart/form-data; boundary=x', 'http://attacker.example'],
    ['a sandboxed iframe post (Origin: null)', 'text/plain', 'null'],
    ['a JSON post from another origin', 'application/json', 'https://attacker.example'],
    ['a post from another loopback port', 'text/plain', 'http://localhost:3000'],
  ])('%s is refused with cross_origin_request', async (_name, type, origin) => {
    const response = await at('localhost:8787', '/v1/ingest', {
      method: 'POST',
      headers: { 'content-type': type, origin },
      body: JSON.stringify({ sources: [{ kind: 'path', path: '/etc' }] }),
    });
    expect([response.status, await errorCode(response)]).toEqual([403, 'cross_origin_request']);
  });

  it('a simple-type post marked cross-site by the browser (Sec-Fetch-Site) without an Origin is refused', async () => {
    const response = await at('localhost:8787', '/v1/ingest', {
      method: 'POST',
      headers: { 'content-type': 'text/plain', 'sec-fetch-site': 'cross-site' },
      body: '{}',
    });
    expect([response.status, await errorCode(response)]).toEqual([403, 'cross_origin_request']);
  });

  it('the web UI (same origin) and non-browser clients (no Origin) still work', async () => {
    const sameOrigin = await at('localhost:8787', '/v1/search', {
      method: 'POST',
      headers: { ...JSON_HEADERS, origin: 'http://localhost:8787', 'sec-fetch-site': 'same-origin' },
      body: search,
    });
    expect(sameOrigin.status).toBe(200);
    const curl = await at('127.0.0.1:8787', '/v1/search', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: search,
    });
    expect(curl.status).toBe(200);
  });
});
