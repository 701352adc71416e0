import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { GUARDRAIL_NOTES } from '../guardrails/answer-guard.ts';
import { RAG_SYSTEM } from '../prompts/builtin.ts';
import { createHttpApp } from '../server/app.ts';
import type { AskEvent, AskResult } from '../spec/answer.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel, type ScriptedReply } from '../testing/scripted-language-model.ts';
import { cacheAnswers, isCacheable, normaliseQuestion } from './answer-cache.ts';
import { NOT_FOUND_ANSWER } from './notes.ts';

const RETURNS = '# Returns\n\nThermostats can be returned within 30 days of delivery.';
const SALARIES = '# Salaries\n\nThe salary bands rise by four percent in March.';

for (const backend of testBackends()) {
  describe(`answer cache on ${backend.name}`, () => {
    let app: Groundwork;
    let http: ReturnType<typeof createHttpApp>;
    let folder: string;
    let close: () => Promise<void>;
    const replies: ScriptedReply[] = [];
    const model = createScriptedLanguageModel([() => replies.shift() ?? { text: 'Within 30 days [1].' }], {
      repeat: true,
    });
    const secrets = {} as Record<'hr' | 'staff' | 'globex', string>;

    const ingest = async (tenantId: string, file: string, content: string, acl?: string[]) => {
      await writeFile(path.join(folder, file), content);
      await app.ingestion.submit(
        tenantId,
        { sources: [{ kind: 'path', path: path.join(folder, file) }], ...(acl ? { acl } : {}) },
        { trusted: true },
      );
      await app.ingestion.drain();
    };
    const ask = async (secret: string, question: string, extra: Record<string, unknown> = {}) => {
      const response = await http.request('/v1/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
        body: JSON.stringify({ question, ...extra }),
      });
      expect(response.status).toBe(200);
      return (await response.json()) as AskResult;
    };
    const hits = async (result: 'hit' | 'miss') => {
      const metric = await app.observability.metrics.cacheRequests.get();
      return (
        metric.values.find((v) => v.labels.cache === 'answers' && v.labels.result === result)?.value ?? 0
      );
    };

    // A queued reply no call consumed means the test did not exercise what it scripted.
    afterEach(() => {
      expect(replies, 'scripted replies left unused').toEqual([]);
    });
    beforeAll(async () => {
      folder = await mkdtemp(path.join(tmpdir(), 'answer-cache-'));
      const db = await backend.open();
      const config = loadConfig({ dataDir: 'memory://', embedder: 'none', auth: 'required' });
      app = await createGroundwork(config, { db, languageModel: { model, name: 'test:scripted' } });
      http = createHttpApp(app);
      close = async () => {
        await app.close();
        await db.close();
      };
      const key = async (tenantId: string, name: string, principals?: string[]) =>
        (
          await app.keys.create(
            { tenantId, name, role: 'customer', ...(principals ? { principals } : {}) },
            { actor: 'cli' },
          )
        ).secret;
      secrets.hr = await key('acme', 'hr', ['group:hr']);
      secrets.staff = await key('acme', 'staff');
      secrets.globex = await key('globex', 'globex');
      await ingest('acme', 'returns.md', RETURNS);
      await ingest('acme', 'salaries.md', SALARIES, ['group:hr']);
      await ingest('globex', 'returns.md', RETURNS);
    }, 120_000);
    afterAll(async () => {
      await close?.();
      await rm(folder, { recursive: true, force: true });
    });

    it('answers a repeated question from the cache without calling the model', async () => {
      const calls = model.calls.length;
      const misses = await hits('miss');
      const first = await ask(secrets.staff, 'How long can I return a thermostat?');
      expect(first.cached).toBeUndefined();
      expect(model.calls.length).toBe(calls + 1);
      const hitsBefore = await hits('hit');
      const second = await ask(secrets.staff, '  how long can I return a   THERMOSTAT? ');
      expect(model.calls.length).toBe(calls + 1);
      expect(second).toMatchObject({
        cached: true,
        answer: first.answer,
        usage: { inputTokens: 0, outputTokens: 0 },
      });
      expect(second.citations).toEqual(first.citations);
      expect(second.traceId).not.toBe(first.traceId);
      expect(await hits('hit')).toBe(hitsBefore + 1);
      expect(await hits('miss')).toBe(misses + 1);
      // The hit is in the answer log, under its own id, with zero tokens.
      await app.answerLog.flush();
      const { rows } = await app.db.query<{ input_tokens: number; output_tokens: number }>(
        'SELECT input_tokens, output_tokens FROM answers WHERE id = $1',
        [second.traceId],
      );
      expect(rows).toEqual([{ input_tokens: 0, output_tokens: 0 }]);
    });

    it('serves a streamed repeat from the cache too', async () => {
      const question = 'Can thermostats be returned after delivery?';
      await ask(secrets.staff, question);
      const calls = model.calls.length;
      const response = await http.request('/v1/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${secrets.staff}` },
        body: JSON.stringify({ question, stream: true }),
      });
      const events = (await response.text())
        .split('\n\n')
        .filter((block) => block.trim())
        .map((block) => JSON.parse(/^data: (.*)$/m.exec(block)?.[1] ?? 'null') as AskEvent);
      const done = events.find((event) => event.type === 'done');
      expect(done?.type === 'done' && done.result.cached).toBe(true);
      expect(model.calls.length).toBe(calls);
    });

    it('misses once a document of the tenant changes', async () => {
      const question = 'What is the return window for thermostats?';
      await ask(secrets.staff, question);
      expect((await ask(secrets.staff, question)).cached).toBe(true);
      await ingest('acme', 'returns.md', `${RETURNS}\n\nShipping labels are free.`);
      const calls = model.calls.length;
      expect((await ask(secrets.staff, question)).cached).toBeUndefined();
      expect(model.calls.length).toBe(calls + 1);
    });

    it('never serves an answer cached for a caller with more access', async () => {
      const question = 'How much do salary bands rise?';
      replies.push({ text: 'The salary bands rise by four percent [1].' });
      const hr = await ask(secrets.hr, question);
      expect(hr.answer).toContain('four percent');
      expect((await ask(secrets.hr, question)).cached).toBe(true);
      const staff = await ask(secrets.staff, question);
      expect(staff.cached).toBeUndefined();
      expect(staff.answer).not.toContain('four percent');
      expect(staff.citations.every((citation) => !citation.source.endsWith('salaries.md'))).toBe(true);
    });

    it('never serves another tenant’s entry', async () => {
      const question = 'Is there a thermostat return period?';
      await ask(secrets.staff, question);
      expect((await ask(secrets.staff, question)).cached).toBe(true);
      const calls = model.calls.length;
      expect((await ask(secrets.globex, question)).cached).toBeUndefined();
      expect(model.calls.length).toBe(calls + 1);
    });

    it('misses when a different prompt version is promoted', async () => {
      const question = 'Within how many days are thermostats returnable?';
      const first = await ask(secrets.staff, question);
      expect((await ask(secrets.staff, question)).cached).toBe(true);
      const current = await app.prompts.resolve('acme', RAG_SYSTEM);
      const next = await app.prompts.create(
        'acme',
        { name: RAG_SYSTEM, template: current.template, variables: current.variables, note: 'cache test' },
        'test',
      );
      await app.prompts.promote('acme', RAG_SYSTEM, next.version, 'production', 'test');
      const after = await ask(secrets.staff, question);
      expect(after.cached).toBeUndefined();
      expect(after.promptVersion?.version).toBe(next.version);
      expect(first.promptVersion?.version).not.toBe(next.version);
    });

    it('does not cache a not-found answer', async () => {
      const question = 'Zebra quantum lattice holiday?';
      const first = await ask(secrets.staff, question);
      expect(first.answer).toBe(NOT_FOUND_ANSWER);
      const hitsBefore = await hits('hit');
      expect((await ask(secrets.staff, question)).cached).toBeUndefined();
      expect(await hits('hit')).toBe(hitsBefore);
    });

    it('never stores refusals or guardrail-withheld answers', () => {
      const grounded = {
        answer: 'Within 30 days [1].',
        citations: [{ n: 1 }],
        notes: [],
      } as unknown as AskResult;
      expect(isCacheable(grounded)).toBe(true);
      expect(isCacheable({ ...grounded, notes: [GUARDRAIL_NOTES.refused] })).toBe(false);
      expect(isCacheable({ ...grounded, notes: [GUARDRAIL_NOTES.ungrounded] })).toBe(false);
      expect(isCacheable({ ...grounded, answer: NOT_FOUND_ANSWER })).toBe(false);
      expect(isCacheable({ ...grounded, citations: [] })).toBe(false);
    });

    it('expires entries after the TTL and keeps at most maxEntries, least recently used out first', async () => {
      let clock = 0;
      let answered = 0;
      const grounded = { answer: 'Within 30 days [1].', citations: [{ n: 1 }], notes: [] };
      const inner = {
        ask: async () => {
          answered++;
          return { ...grounded, traceId: `t${answered}` } as unknown as AskResult;
        },
        stream: async function* () {},
      };
      const cache = cacheAnswers(inner, {
        db: app.db,
        config: { enabled: true, ttlSeconds: 10, maxEntries: 2 },
        modelName: null,
        defaultLimit: 8,
        now: () => clock,
      });
      const request = (question: string) => ({ tenantId: 'acme', principals: ['p'], question });
      await cache.ask(request('a'));
      expect((await cache.ask(request('a'))).cached).toBe(true);
      clock = 10_001;
      expect((await cache.ask(request('a'))).cached).toBeUndefined();
      await cache.ask(request('b'));
      await cache.ask(request('a')); // a is now the most recently used
      await cache.ask(request('c')); // evicts b
      expect(answered).toBe(4);
      expect((await cache.ask(request('a'))).cached).toBe(true);
      expect((await cache.ask(request('b'))).cached).toBeUndefined();
      expect(answered).toBe(5);
      // A history makes the question stateful: never looked up.
      await cache.ask({ ...request('a'), history: [{ role: 'user', content: 'hi' }] });
      expect(answered).toBe(6);
    });

    it('normalises questions for the key', () => {
      expect(normaliseQuestion('  How\tLong?\n')).toBe('how long?');
    });
  });
}
