/**
 * An answer served by a fallback model (ADR 0006) is recorded, traced and priced under the model
 * that wrote it, not the primary's name the resilient wrapper reports: on the answer, its answer-log
 * row (usage by model), the `gen_ai.chat` span and the span's cost, streamed or not.
 */
import { APICallError } from '@ai-sdk/provider';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { createResilientLanguageModel } from '../models/resilient-language-model.ts';
import type { SpanNode } from '../observability/span-tree.ts';
import { activeTraceId } from '../observability/tracer.ts';
import type { AskResult } from '../spec/answer.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createScriptedLanguageModel } from '../testing/scripted-language-model.ts';
import { createHttpApp } from './app.ts';

const unavailable = () =>
  new APICallError({ message: 'HTTP 503', url: 'http://primary', requestBodyValues: {}, statusCode: 503 });

function find(nodes: readonly SpanNode[], name: string): SpanNode | undefined {
  for (const node of nodes) {
    if (node.name === name) return node;
    const inner = find(node.children, name);
    if (inner) return inner;
  }
  return undefined;
}

for (const backend of testBackends()) {
  describe(`an answer from a fallback model on ${backend.name}`, () => {
    let apps: AnswerApps;
    let app: Groundwork;
    const started = new Date(Date.now() - 1000);

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      const primary = createScriptedLanguageModel([{ error: unavailable() }], {
        modelId: 'primary',
        repeat: true,
      });
      const fallback = createScriptedLanguageModel(
        [{ text: 'Within 30 days [1].', usage: { inputTokens: 1000, outputTokens: 100 } }],
        { modelId: 'fallback', repeat: true },
      );
      const model = createResilientLanguageModel(
        [
          { name: 'test:primary', provider: 'test', modelId: 'primary', model: primary },
          { name: 'test:fallback', provider: 'test', modelId: 'fallback', model: fallback },
        ],
        { timeoutMs: 5000, maxRetries: 0, initialDelayMs: 1, maxDelayMs: 10 },
      );
      app = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          cache: { answers: { enabled: false } },
          prices: {
            'test:primary': { inputPerMillion: 3, outputPerMillion: 15 },
            'test:fallback': { inputPerMillion: 1, outputPerMillion: 2 },
          },
        }),
        { db: apps.app.db, languageModel: { model, name: 'test:primary' } },
      );
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await apps?.close();
    });

    const fallbackCost = (1000 * 1 + 100 * 2) / 1e6;
    const traceOf = async (traceId: string) => {
      await app.observability.flush();
      const response = await createHttpApp(app).request(`/v1/traces/${traceId}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { spans: SpanNode[] };
    };

    it('names and prices the fallback on the answer, the span and the answer log', async () => {
      const response = await createHttpApp(app).request('/v1/ask', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ question: 'How long do I have to return a thermostat?' }),
      });
      const result = (await response.json()) as AskResult;
      expect(result).toMatchObject({ mode: 'generative', model: 'test:fallback' });

      const chat = find((await traceOf(result.traceId)).spans, 'gen_ai.chat') as SpanNode;
      expect(chat.attributes).toMatchObject({
        'groundwork.model': 'test:fallback',
        'gen_ai.response.model': 'fallback',
        // What was asked for stays on the span: the primary, per the GenAI conventions.
        'gen_ai.request.model': 'primary',
      });
      expect(chat.costUsd).toBeCloseTo(fallbackCost, 12);

      const metrics = await (await createHttpApp(app).request('/metrics')).text();
      expect(metrics).toMatch(/groundwork_llm_cost_usd_total\{model="test:fallback",tenant="default"\}/);
      expect(metrics).not.toMatch(/groundwork_llm_cost_usd_total\{model="test:primary"/);
    });

    it('does the same for a streamed answer', async () => {
      const { result, traceId } = await app.observability.runRoot('ask.stream', 'default', {}, async () => {
        let done: AskResult | undefined;
        for await (const event of app.answerer.stream({
          tenantId: 'default',
          question: 'Can I return an opened router?',
        })) {
          if (event.type === 'done') done = event.result;
        }
        return { result: done as AskResult, traceId: activeTraceId() as string };
      });
      expect(result).toMatchObject({ mode: 'generative', model: 'test:fallback' });
      const chat = find((await traceOf(traceId)).spans, 'gen_ai.chat') as SpanNode;
      expect(chat.attributes['groundwork.model']).toBe('test:fallback');
      expect(chat.costUsd).toBeCloseTo(fallbackCost, 12);
    });

    it('logs both answers under the fallback, at its price', async () => {
      const report = await app.usage.report({
        tenantId: 'default',
        from: started,
        to: new Date(Date.now() + 1000),
        groupBy: ['model'],
      });
      expect(report.rows).toEqual([
        expect.objectContaining({ model: 'test:fallback', answers: 2, unpricedAnswers: 0 }),
      ]);
      expect(report.rows[0]?.costUsd).toBeCloseTo(2 * fallbackCost, 12);
    });
  });
}
