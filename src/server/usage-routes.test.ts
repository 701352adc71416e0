import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import type { AskResult } from '../spec/answer.ts';
import { getAnswer, insertAnswer } from '../store/answers.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const QUESTION = 'How long do I have to return a thermostat?';

function post(body: unknown, secret: string) {
  return {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify(body),
  };
}
const get = (secret: string) => ({ headers: { authorization: `Bearer ${secret}` } });

interface Totals {
  answers: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  unpricedAnswers: number;
}
interface Series {
  bucket: string;
  rows: (Totals & { model: string })[];
  total: Totals;
  series: { from: string; to: string; rows: (Totals & { model: string; tenant: string })[]; total: Totals }[];
}

/** Answers at given times in March 2026 (outside this month's budget), by model. */
const SEEDED = [
  {
    at: '2026-03-02T01:10:00Z',
    model: 'openai:gpt-4o-mini',
    inputTokens: 100,
    outputTokens: 10,
    costUsd: 0.001,
  },
  {
    at: '2026-03-02T01:50:00Z',
    model: 'anthropic:claude-3-5-haiku',
    inputTokens: 200,
    outputTokens: 20,
    costUsd: 0.004,
  },
  {
    at: '2026-03-02T03:05:00Z',
    model: 'openai:gpt-4o-mini',
    inputTokens: 300,
    outputTokens: 30,
    costUsd: 0.003,
  },
];

for (const backend of testBackends()) {
  describe(`answer log, usage and budgets on ${backend.name}`, () => {
    let apps: AnswerApps;
    let priced: Groundwork;
    let http: ReturnType<typeof createHttpApp>;
    let customer: { id: string; secret: string };
    let admin: string;

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      // The scripted model under a hosted model's name, so its tokens have a price; the tenant's budget
      // is 2,500 tokens a month.
      priced = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          budgets: { default: { monthlyTokens: 2500 } },
          prices: { 'openai:gpt-4o-mini': { inputPerMillion: 1, outputPerMillion: 10 } },
          // Each ask must spend tokens: a repeated question served from the cache would cost none.
          cache: { answers: { enabled: false } },
        }),
        { db: apps.app.db, languageModel: { model: apps.model, name: 'openai:gpt-4o-mini' } },
      );
      http = createHttpApp(priced);
      const scope = { actor: 'test' };
      const issued = await priced.keys.create({ tenantId: 'default', name: 'c', role: 'customer' }, scope);
      customer = { id: issued.key.id, secret: issued.secret };
      admin = (await priced.keys.create({ tenantId: 'default', name: 'a', role: 'admin' }, scope)).secret;
    }, 120_000);
    afterAll(async () => {
      await priced?.close();
      await apps?.close();
    });

    it('logs answers from ask, chat and the OpenAI door with user, conversation, tokens and cost', async () => {
      const usage = { inputTokens: 1000, outputTokens: 100 };
      apps.replies.push({ text: 'Within 30 days [1].', usage });
      const asked = (await (
        await http.request('/v1/ask', post({ question: QUESTION }, customer.secret))
      ).json()) as AskResult;
      await priced.answerLog.flush(); // the log is written in batches
      const row = await getAnswer(priced.db, 'default', asked.traceId);
      expect(row).toMatchObject({
        userId: customer.id,
        conversationId: null,
        question: QUESTION,
        answer: 'Within 30 days [1].',
        mode: 'generative',
        model: 'openai:gpt-4o-mini',
        promptName: 'rag.system',
        promptVersion: 1,
        inputTokens: 1000,
        outputTokens: 100,
        priced: true,
      });
      expect(row!.costUsd).toBeCloseTo((1000 * 1 + 100 * 10) / 1e6, 12);
      expect(row!.citations).toHaveLength(1);
      expect(await getAnswer(priced.db, 'other-tenant', asked.traceId)).toBeUndefined();

      apps.replies.push({ text: 'Thirty days [1].', usage: { inputTokens: 500, outputTokens: 50 } });
      const chat = await http.request('/v1/chat', post({ question: QUESTION }, customer.secret));
      const chatted = (await chat.json()) as AskResult & { conversationId: string };
      await priced.answerLog.flush(); // the log is written in batches
      expect((await getAnswer(priced.db, 'default', chatted.traceId))?.conversationId).toBe(
        chatted.conversationId,
      );

      apps.replies.push({ text: 'Thirty days [1].', usage: { inputTokens: 10, outputTokens: 1 } });
      const completion = await http.request(
        '/v1/chat/completions',
        post({ model: 'groundwork', messages: [{ role: 'user', content: QUESTION }] }, customer.secret),
      );
      expect(completion.status).toBe(200);
      expect(((await completion.json()) as { choices: unknown[] }).choices).toHaveLength(1);

      const report = await http.request('/v1/usage?groupBy=user,model,promptVersion', get(admin));
      expect(report.status).toBe(200);
      const body = (await report.json()) as {
        rows: Record<string, unknown>[];
        total: Record<string, number>;
      };
      expect(body.rows).toEqual([
        {
          user: customer.id,
          model: 'openai:gpt-4o-mini',
          promptName: 'rag.system',
          promptVersion: 1,
          answers: 3,
          inputTokens: 1510,
          outputTokens: 151,
          costUsd: expect.closeTo((1510 + 1510) / 1e6, 12),
          unpricedAnswers: 0,
        },
      ]);
      expect(body.total.answers).toBe(3);
      const byConversation = (await (
        await http.request('/v1/usage?groupBy=conversation', get(admin))
      ).json()) as { rows: { conversation: string | null; answers: number }[] };
      expect(byConversation.rows).toHaveLength(2);
      expect(byConversation.rows.map((group) => group.conversation)).toContain(chatted.conversationId);
      const empty = (await (
        await http.request('/v1/usage?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z', get(admin))
      ).json()) as { total: { answers: number } };
      expect(empty.total.answers).toBe(0);
    });

    it('returns every hour or day bucket of a range in one request, grouped as asked', async () => {
      for (const [index, seed] of SEEDED.entries()) {
        const id = `bucket${index}`.padEnd(32, '0');
        await insertAnswer(priced.db, {
          id,
          tenantId: 'default',
          userId: 'key:seed',
          conversationId: null,
          question: 'Seeded',
          answer: 'Seeded',
          citations: [],
          mode: 'generative',
          model: seed.model,
          promptName: 'rag.system',
          promptVersion: 1,
          experimentId: null,
          experimentArm: null,
          inputTokens: seed.inputTokens,
          outputTokens: seed.outputTokens,
          costUsd: seed.costUsd,
          priced: true,
          latencyMs: 500,
        });
        await priced.db.query('UPDATE answers SET created_at = $2 WHERE id = $1', [id, seed.at]);
      }
      const hours = (await (
        await http.request(
          '/v1/usage?from=2026-03-02T00:00:00Z&to=2026-03-02T03:30:00Z&bucket=hour&groupBy=model,tenant',
          get(admin),
        )
      ).json()) as Series;
      expect(hours.bucket).toBe('hour');
      // Four buckets, the empty ones too; the last is cut at `to`.
      expect(hours.series.map((bucket) => [bucket.from, bucket.to, bucket.total.answers])).toEqual([
        ['2026-03-02T00:00:00.000Z', '2026-03-02T01:00:00.000Z', 0],
        ['2026-03-02T01:00:00.000Z', '2026-03-02T02:00:00.000Z', 2],
        ['2026-03-02T02:00:00.000Z', '2026-03-02T03:00:00.000Z', 0],
        ['2026-03-02T03:00:00.000Z', '2026-03-02T03:30:00.000Z', 1],
      ]);
      const second = hours.series[1]!;
      expect(second.rows).toEqual([
        expect.objectContaining({
          model: 'anthropic:claude-3-5-haiku',
          tenant: 'default',
          answers: 1,
          costUsd: 0.004,
        }),
        expect.objectContaining({
          model: 'openai:gpt-4o-mini',
          tenant: 'default',
          answers: 1,
          costUsd: 0.001,
        }),
      ]);
      expect(second.total).toEqual({
        answers: 2,
        inputTokens: 300,
        outputTokens: 30,
        costUsd: expect.closeTo(0.005, 12),
        unpricedAnswers: 0,
      });
      // The whole range is in the same answer: the buckets add up to it.
      expect(hours.total.answers).toBe(3);
      expect(hours.rows.map((row) => [row.model, row.answers])).toEqual([
        ['openai:gpt-4o-mini', 2],
        ['anthropic:claude-3-5-haiku', 1],
      ]);

      // Days count from `from`, so a caller two hours east of UTC gets its own midnights.
      const days = (await (
        await http.request(
          '/v1/usage?from=2026-03-01T22:00:00Z&to=2026-03-03T22:00:00Z&bucket=day',
          get(admin),
        )
      ).json()) as Series;
      expect(
        days.series.map((bucket) => [bucket.from, bucket.total.answers, bucket.total.inputTokens]),
      ).toEqual([
        ['2026-03-01T22:00:00.000Z', 3, 600],
        ['2026-03-02T22:00:00.000Z', 0, 0],
      ]);
      // Without `bucket`, the report is as before.
      const plain = (await (
        await http.request('/v1/usage?from=2026-03-01T22:00:00Z&to=2026-03-03T22:00:00Z', get(admin))
      ).json()) as Partial<Series>;
      expect(plain.series).toBeUndefined();
      expect(plain.total?.answers).toBe(3);
    });

    it('rejects bad usage queries and non-admin callers with a code', async () => {
      for (const query of [
        'groupBy=colour',
        'from=yesterday',
        'from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
        'x=1',
        'bucket=week',
        'bucket=',
        'bucket=hour&from=2026-03-02T00:00:00Z&to=2026-03-02T00:00:00Z',
      ]) {
        const response = await http.request(`/v1/usage?${query}`, get(admin));
        expect({
          query,
          status: response.status,
          code: ((await response.json()) as { error: { code: string } }).error.code,
        }).toEqual({ query, status: 400, code: 'invalid_query' });
      }
      expect((await http.request('/v1/usage', get(customer.secret))).status).toBe(403);
      // 59 days of hours is more than the 744 buckets one request may return; 31 days is not.
      for (const query of [
        'bucket=hour&from=2026-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
        'bucket=day&from=2020-01-01T00:00:00Z&to=2026-03-01T00:00:00Z',
      ]) {
        const response = await http.request(`/v1/usage?${query}`, get(admin));
        expect(response.status, query).toBe(400);
        const body = (await response.json()) as { error: { code: string; details: { max: number } } };
        expect(body.error.code).toBe('too_many_buckets');
        expect(body.error.details.max).toBe(744);
      }
      const month = await http.request(
        '/v1/usage?bucket=hour&from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z',
        get(admin),
      );
      expect(month.status).toBe(200);
      expect(((await month.json()) as Series).series).toHaveLength(744);
    });

    it('refuses answers with 429 budget_exceeded once the tenant spent its monthly tokens', async () => {
      // 1,661 tokens so far; this answer takes the month to 2,761, past the 2,500 budget.
      apps.replies.push({ text: 'Within 30 days [1].', usage: { inputTokens: 1000, outputTokens: 100 } });
      expect((await http.request('/v1/ask', post({ question: QUESTION }, customer.secret))).status).toBe(200);
      const calls = apps.model.calls.length;
      for (const path of ['/v1/ask', '/v1/chat']) {
        const refused = await http.request(path, post({ question: QUESTION }, customer.secret));
        expect(refused.status).toBe(429);
        expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = (await refused.json()) as { error: { code: string; message: string; details: unknown } };
        expect(body.error.code).toBe('budget_exceeded');
        expect(body.error.message).toMatch(
          /2761 of 2500 tokens used.*resets at \d{4}-\d\d-01T00:00:00\.000Z/,
        );
        expect(body.error.details).toMatchObject({ spentTokens: 2761, budget: { monthlyTokens: 2500 } });
      }
      const openai = await http.request(
        '/v1/chat/completions',
        post({ model: 'groundwork', messages: [{ role: 'user', content: QUESTION }] }, customer.secret),
      );
      expect(openai.status).toBe(429);
      expect(await openai.json()).toMatchObject({
        error: { code: 'budget_exceeded', type: expect.any(String) },
      });
      expect(apps.model.calls.length).toBe(calls);
      // Other routes are not budgeted.
      expect((await http.request('/v1/usage', get(admin))).status).toBe(200);
    });
  });
}
