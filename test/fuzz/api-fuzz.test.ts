/**
 * Property-based fuzzing of every public endpoint's input validation. Routes come from their own
 * declarations (server/route-spec.ts), so a new route is fuzzed without touching this file; the support
 * app's routes are mounted too. Each request carries an admin key (auth required), so validation,
 * not authorization, is what gets exercised. Property: never a 5xx, never a stack trace, always a
 * JSON error body with a code on 4xx.
 *
 * Two kinds of inputs: random ones (fast-check), and leaf mutations of a valid body (an example
 * built from the route's own JSON schema): each leaf, container and key of the body in turn is
 * replaced by a NUL, a lone surrogate, a huge string, a wrong type or deep nesting, and so is each
 * path parameter and query value. A NUL or a lone surrogate must be exactly 400 `invalid_text`.
 */

import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { createHttpApp } from '../../src/server/app.ts';
import type { RouteRequest, RouteSpec } from '../../src/server/route-spec.ts';
import { testBackends } from '../../src/testing/databases.ts';
import { declaredRoutes } from '../../src/testing/declared-routes.ts';
import { openFullServer } from '../../src/testing/full-server.ts';

type ApiRoute = RouteSpec & RouteRequest;
const API_ROUTES: readonly ApiRoute[] = (await declaredRoutes()).map((route) => ({
  ...route,
  ...route.request,
}));

/** Random runs per route; with the leaf mutations below a backend takes about a minute here. */
const RUNS = 15;
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
    let http: ReturnType<typeof createHttpApp>;
    let secret: string;
    const close: (() => Promise<void>)[] = [];
    /** Requests each route's leaf mutations sent. */
    const counts = new Map<string, number>();
    beforeAll(async () => {
      const server = await openFullServer(backend, { config: { auth: 'required' } });
      ({ http } = server);
      secret = await server.keyFor('admin');
      close.push(server.close);
    }, 120_000);
    afterAll(async () => {
      for (const step of close) await step();
      const total = [...counts.values()].reduce((sum, value) => sum + value, 0);
      // Reported for the notes: how much the leaf mutations covered.
      console.info(`leaf mutations on ${backend.name}: ${counts.size} routes, ${total} requests`);
    });

    async function check(method: string, path: string, init: RequestInit = {}): Promise<Outcome> {
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
      if (response.status >= 400 && response.headers.get('content-type')?.includes('json')) {
        const body = JSON.parse(text) as { error?: { code?: unknown } };
        if (typeof body.error?.code !== 'string' && !path.startsWith('/v1/jobs/'))
          throw new Error(
            `${method} ${path} → ${response.status} without an error code: ${text.slice(0, 200)}`,
          );
        return { status: response.status, code: body.error?.code as string };
      }
      return { status: response.status };
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

    it.each(API_ROUTES.map((route) => [`${route.method.toUpperCase()} ${route.path}`, route] as const))(
      '%s: each leaf, key, path parameter and query value mutated in turn: no 5xx, invalid text is invalid_text',
      async (name, route) => {
        const hasBody = route.method !== 'get' && route.method !== 'delete';
        const example = route.json && hasBody ? exampleOf(route.json) : undefined;
        const query = route.query ? (exampleOf(route.query) as Record<string, unknown>) : {};
        const parameters = [...route.path.matchAll(/:([A-Za-z_]+)/g)].map((match) => match[1]!);
        const pathWith = (values: Record<string, string>) =>
          route.path.replace(/:([A-Za-z_]+)/g, (_match, key: string) => encodePathValue(values[key] ?? 'x'));
        const validPath = pathWith(Object.fromEntries(parameters.map((key) => [key, SAMPLE_PARAMETER])));
        const queryString = (values: Record<string, unknown>) => {
          const pairs = Object.entries(values).filter(([, value]) => value !== undefined);
          return pairs.length === 0
            ? ''
            : `?${pairs.map(([key, value]) => `${encodePathValue(key)}=${encodePathValue(typeof value === 'string' ? value : JSON.stringify(value))}`).join('&')}`;
        };
        const send = (path: string, body?: string) =>
          route.multipart
            ? check(route.method, path, { body: uploadForm(body ?? '') })
            : body !== undefined
              ? check(route.method, path, { headers: { 'content-type': 'application/json' }, body })
              : check(route.method, path);
        let requests = 0;
        const expectInvalidText = async (what: string, outcome: Promise<Outcome>) => {
          requests++;
          const { status, code } = await outcome;
          expect({ what, status, code }).toEqual({ what, status: 400, code: 'invalid_text' });
        };
        const expectHandled = async (outcome: Promise<Outcome>) => {
          requests++;
          await outcome;
        };
        const body = example === undefined ? undefined : JSON.stringify(example);
        // The valid example itself; a route of the registry that is not mounted would only ever answer
        // 404 route_not_found here, and every mutation below would pass without reaching validation.
        requests++;
        const valid = await send(`${validPath}${queryString(query)}`, body);
        expect({ route: name, code: valid.code }).not.toEqual({ route: name, code: 'route_not_found' });
        // Body leaves, containers and keys.
        if (example !== undefined) {
          for (const target of targetsOf(example)) {
            for (const bad of TEXT_MUTATIONS)
              await expectInvalidText(
                `body ${target.label}`,
                send(validPath, JSON.stringify(target.replace(bad))),
              );
            for (const other of LEAF_MUTATIONS)
              await expectHandled(send(validPath, serialize(target.replace(other()))));
          }
          for (const whole of BODY_MUTATIONS) await expectHandled(send(validPath, serialize(whole())));
          if (isRecord(example))
            for (const bad of TEXT_MUTATIONS)
              await expectInvalidText(
                'body key',
                send(validPath, JSON.stringify({ ...example, [bad]: 'x' })),
              );
        }
        // Path parameters.
        for (const key of parameters) {
          const others = Object.fromEntries(parameters.map((name) => [name, SAMPLE_PARAMETER]));
          for (const bad of TEXT_MUTATIONS)
            await expectInvalidText(`path :${key}`, send(pathWith({ ...others, [key]: bad }), body));
          for (const other of PATH_MUTATIONS)
            await expectHandled(send(pathWith({ ...others, [key]: other }), body));
        }
        // Query values and keys.
        for (const key of Object.keys(route.query?.shape ?? {})) {
          for (const bad of TEXT_MUTATIONS)
            await expectInvalidText(
              `query ${key}`,
              send(`${validPath}${queryString({ ...query, [key]: bad })}`, body),
            );
          for (const other of ['', '-1', '1e999', 'x'.repeat(10_000), '[]', 'true'])
            await expectHandled(send(`${validPath}${queryString({ ...query, [key]: other })}`, body));
        }
        for (const bad of TEXT_MUTATIONS)
          await expectInvalidText(
            'query key',
            send(`${validPath}${queryString({ ...query, [bad]: '1' })}`, body),
          );
        counts.set(name, requests);
      },
      120_000,
    );
  });
}

/** Whatever a request came back with. */
interface Outcome {
  readonly status: number;
  readonly code?: string;
}

/** A path parameter that is well formed for most routes (a uuid) but names nothing. */
const SAMPLE_PARAMETER = '6f1c2a9e-0b7d-4c1e-9a55-2f0d7c3b8e11';

/** Text no route may store: each must be 400 `invalid_text` wherever it is put. */
const TEXT_MUTATIONS = ['a\u0000b', 'x\uD800', '\uDC00y'];

/** What each leaf and container may become besides invalid text; each must be handled (2xx or a coded 4xx). */
const LEAF_MUTATIONS: (() => unknown)[] = [
  () => 'x'.repeat(100_000),
  () => -1,
  () => true,
  () => null,
  () => [],
  () => ({}),
];

/** What the whole body becomes once per route (the position of these does not matter). */
const BODY_MUTATIONS: (() => unknown)[] = [
  () => 'x'.repeat(1_100_000),
  () => nested(5_000, 'array'),
  () => nested(5_000, 'object'),
  () => 2 ** 53 + 1,
  () => ['\u202E', '\uFEFF', '😀'.repeat(1000)].join(''),
];

/** Path parameter values besides invalid text. */
const PATH_MUTATIONS = ['x'.repeat(10_000), '..', '%', '-1', '0', '9007199254740993', ' ', '😀', 'a/b'];

function nested(depth: number, kind: 'array' | 'object'): unknown {
  let value: unknown = 'leaf';
  for (let index = 0; index < depth; index++) value = kind === 'array' ? [value] : { a: value };
  return value;
}

/** `JSON.stringify`, except for values it cannot write (too deep for its recursion): a raw string. */
function serialize(value: unknown): string {
  try {
    return JSON.stringify(value);
  } catch {
    return `{"deep":${'['.repeat(5_000)}${']'.repeat(5_000)}}`;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** One place in a body to mutate: `replace` gives the whole body with that place set to `value`. */
interface Target {
  readonly label: string;
  replace(value: unknown): unknown;
}

/** Every leaf and container of `root` (the root itself included). */
function targetsOf(root: unknown): Target[] {
  const targets: Target[] = [];
  const visit = (value: unknown, path: (string | number)[]) => {
    targets.push({
      label: path.join('.') || '(root)',
      replace: (replacement) => setAt(root, path, replacement),
    });
    if (Array.isArray(value)) for (const [index, item] of value.entries()) visit(item, [...path, index]);
    else if (isRecord(value)) for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(root, []);
  return targets;
}

function setAt(root: unknown, path: readonly (string | number)[], value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const copy: Record<string | number, unknown> | unknown[] = Array.isArray(root)
    ? [...root]
    : { ...(root as object) };
  (copy as Record<string | number, unknown>)[head!] = setAt(
    (root as Record<string | number, unknown>)[head!],
    rest,
    value,
  );
  return copy;
}

/** A path segment or query part as a client puts it on the wire; lone surrogates as CESU-8 bytes. */
function encodePathValue(text: string): string {
  let out = '';
  for (const unit of text) {
    const code = unit.charCodeAt(0);
    if (unit.length === 1 && code >= 0xd800 && code <= 0xdfff) {
      out += [0xe0 | (code >> 12), 0x80 | ((code >> 6) & 0x3f), 0x80 | (code & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    } else out += encodeURIComponent(unit);
  }
  return out;
}

function uploadForm(body: string): FormData {
  const form = new FormData();
  form.append('file', new File([body], 'fuzz.md', { type: 'text/markdown' }));
  form.append('acl', body.slice(0, 1000));
  return form;
}

/** JSON Schema, as far as examples need it. */
interface JsonSchema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  default?: unknown;
  minimum?: number;
  exclusiveMinimum?: number;
  minLength?: number;
  minItems?: number;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: JsonSchema | boolean;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
}

/**
 * A valid-looking value of a zod schema, built from its JSON Schema (every property filled in), so a
 * new route gets an example without touching this file.
 */
function exampleOf(schema: z.ZodType): unknown {
  return exampleOfJson(z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema);
}

function exampleOfJson(schema: JsonSchema): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  const choice = schema.anyOf ?? schema.oneOf;
  if (choice) return exampleOfJson(choice.find((option) => option.type !== 'null') ?? choice[0]!);
  if (schema.allOf?.[0]) return exampleOfJson(schema.allOf[0]);
  const type = Array.isArray(schema.type) ? schema.type.find((item) => item !== 'null') : schema.type;
  switch (type) {
    case 'string':
      return stringExample(schema);
    case 'integer':
    case 'number':
      return Math.max(1, Math.ceil(schema.minimum ?? (schema.exclusiveMinimum ?? 0) + 1));
    case 'boolean':
      return true;
    case 'array':
      return Array.from({ length: Math.max(1, schema.minItems ?? 1) }, () =>
        exampleOfJson(schema.items ?? {}),
      );
    case 'object': {
      const value: Record<string, unknown> = {};
      for (const [key, property] of Object.entries(schema.properties ?? {}))
        value[key] = exampleOfJson(property);
      if (!schema.properties && typeof schema.additionalProperties === 'object')
        value.team = exampleOfJson(schema.additionalProperties);
      return value;
    }
    default:
      return 'example';
  }
}

function stringExample(schema: JsonSchema): string {
  switch (schema.format) {
    case 'uuid':
      return SAMPLE_PARAMETER;
    case 'email':
      return 'maya.patel@example.com';
    case 'date-time':
      return '2026-01-01T00:00:00Z';
    case 'uri':
      return 'https://example.com/page';
    default:
      return 'example text'.padEnd(schema.minLength ?? 0, 'x');
  }
}

async function firstChunk(response: Response): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const { value } = await reader.read();
  await reader.cancel();
  return new TextDecoder().decode(value);
}
