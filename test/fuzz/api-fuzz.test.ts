/**
 * Property-based fuzzing of every public endpoint's input validation. Routes come from the OpenAPI
 * route registry (API_ROUTES), so a new route is fuzzed without touching this file. Each request
 * carries an admin key (auth required), so validation, not authorization, is what gets exercised.
 * Property: never a 5xx, never a stack trace, always a JSON error body with a code on 4xx.
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../../src/app.ts';
import { loadConfig } from '../../src/config/config.ts';
import { createHttpApp } from '../../src/server/app.ts';
import { API_ROUTES, type ApiRoute } from '../../src/server/openapi/api-routes.ts';
import { testBackends } from '../../src/testing/databases.ts';
import { createScriptedLanguageModel } from '../../src/testing/scripted-language-model.ts';

/** Runs per route and input kind; 22 routes × (body + query) ≈ 1,700 requests, about 30 s here. */
const RUNS = 40;
const STACK = /\bat .+\.[cm]?[jt]s:\d+|node:internal/;

const hugeString = fc.integer({ min: 9_000, max: 1_200_000 }).map((length) => 'x'.repeat(length));
const nastyString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 200 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    '\uFFFF',
    '\uD800',
    '../../etc/passwd',
    '%00',
    "' OR 1=1 --",
    '{{7*7}}',
    '-1',
    '1e309',
    'NaN',
  ),
  hugeString,
);
const anyValue = fc.oneof(
  { weight: 4, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
  { weight: 2, arbitrary: nastyString },
  { weight: 1, arbitrary: fc.constantFrom(null, true, -1, 0, 2 ** 53, -0.5, [], {}) },
);

function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> } | undefined)?.shape;
  return shape ? Object.keys(shape) : [];
}

/** Bodies: random JSON, objects with the schema's own keys and wrong values, or raw bytes. */
function bodyFor(route: ApiRoute): fc.Arbitrary<string> {
  const keys = keysOf(route.json);
  const shaped =
    keys.length > 0
      ? fc
          .dictionary(fc.constantFrom(...keys, 'extra'), anyValue, { maxKeys: keys.length + 1 })
          .map((value) => JSON.stringify(value))
      : fc.constant('{}');
  return fc.oneof(
    { weight: 3, arbitrary: shaped },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: nastyString },
  );
}

/** Query strings: the schema's keys (or arbitrary ones) with arbitrary values, URL-encoded. */
function queryFor(route: ApiRoute): fc.Arbitrary<string> {
  const keys = keysOf(route.query);
  const key =
    keys.length > 0
      ? fc.oneof(fc.constantFrom(...keys), fc.string({ maxLength: 10 }))
      : fc.string({ maxLength: 10 });
  const value = fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 50 }),
    fc.integer().map(String),
    fc.constantFrom('', '-1', '1e999', 'true', '[]'),
  );
  return fc
    .array(fc.tuple(key, value), { maxLength: 5 })
    .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
}

const pathParameter = fc.oneof(
  fc.integer({ min: -5, max: 10_000 }).map(String),
  fc.uuid(),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }),
  fc.constantFrom('0', '1', '9007199254740993', 'null', '..', '%2e%2e'),
);

for (const backend of testBackends()) {
  describe(`fuzzing every route on ${backend.name}`, () => {
    let app: Groundwork;
    let http: ReturnType<typeof createHttpApp>;
    let secret: string;
    const close: (() => Promise<void>)[] = [];
    beforeAll(async () => {
      const db = await backend.open();
      const model = createScriptedLanguageModel([{ text: 'Within 30 days [1].' }], { repeat: true });
      app = await createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'none', auth: 'required' }), {
        db,
        languageModel: { model, name: 'test:instant' },
        // Ingestion by URL must never reach the network from a fuzz run.
        fetch: async () => {
          throw new Error('no network in fuzz tests');
        },
      });
      http = createHttpApp(app);
      secret = (await app.keys.create({ tenantId: 'default', name: 'fuzz', role: 'admin' }, { actor: 'cli' }))
        .secret;
      close.push(
        async () => app.close(),
        async () => db.close(),
      );
    }, 120_000);
    afterAll(async () => {
      for (const step of close) await step();
    });

    async function check(method: string, path: string, init: RequestInit = {}) {
      const headers = new Headers(init.headers);
      headers.set('authorization', `Bearer ${secret}`);
      const response = await http.request(path, { ...init, method: method.toUpperCase(), headers });
      // A live event stream (the inbox's) never ends: its first event is enough, then hang up.
      const text = response.headers.get('content-type')?.includes('text/event-stream')
        ? await firstChunk(response)
        : await response.text();
      if (response.status >= 500 || STACK.test(text)) {
        throw new Error(`${method} ${path} → ${response.status}: ${text.slice(0, 300)}`);
      }
      if (
        response.status >= 400 &&
        !path.startsWith('/v1/jobs/') &&
        response.headers.get('content-type')?.includes('json')
      ) {
        const body = JSON.parse(text) as { error?: { code?: unknown } };
        if (typeof body.error?.code !== 'string')
          throw new Error(
            `${method} ${path} → ${response.status} without an error code: ${text.slice(0, 200)}`,
          );
      }
    }

    const fill = (path: string, parameter: string) =>
      path.replace(/:[A-Za-z_]+/g, encodeURIComponent(parameter));

    it.each(API_ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
      '%s: random bodies, path parameters and query strings never cause a 5xx or a stack trace',
      async (_name, route) => {
        const hasBody = route.method !== 'get' && route.method !== 'delete';
        await fc.assert(
          fc.asyncProperty(
            pathParameter,
            queryFor(route),
            hasBody ? bodyFor(route) : fc.constant(''),
            async (parameter, query, body) => {
              const path = `${fill(route.path, parameter)}${query ? `?${query}` : ''}`;
              if (route.multipart) {
                const form = new FormData();
                form.append('file', new File([body], 'fuzz.md', { type: 'text/markdown' }));
                form.append(body.slice(0, 20) || 'field', body.slice(0, 1000));
                await check(route.method, path, { body: form });
              } else if (hasBody) {
                await check(route.method, path, { headers: { 'content-type': 'application/json' }, body });
              } else {
                await check(route.method, path);
              }
            },
          ),
          { numRuns: RUNS },
        );
      },
    );
  });
}

async function firstChunk(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}
