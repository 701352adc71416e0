/**
 * Cost on spans: model calls carry `groundwork.cost.usd` priced from the app's price table, the traces
 * API returns each span's cost and each trace's total (list and detail), and a model without a price
 * is counted as such rather than costing 0.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGroundwork, type Groundwork } from '../app.ts';
import { loadConfig } from '../config/config.ts';
import { embeddingAttributes } from '../observability/gen-ai.ts';
import { recordEmbeddingTokens } from '../observability/span-cost.ts';
import type { SpanNode } from '../observability/span-tree.ts';
import { activeTraceId, withSpan } from '../observability/tracer.ts';
import type { AskResult } from '../spec/answer.ts';
import type { TraceRow } from '../store/traces.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const ask = (question: string) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify({ question }),
});

function find(nodes: readonly SpanNode[], name: string): SpanNode | undefined {
  for (const node of nodes) {
    if (node.name === name) return node;
    const inner = find(node.children, name);
    if (inner) return inner;
  }
  return undefined;
}

for (const backend of testBackends()) {
  describe(`cost on spans on ${backend.name}`, () => {
    let apps: AnswerApps;
    let priced: Groundwork;
    let unpriced: Groundwork;

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      // The scripted model priced at $3 / $15 per million tokens.
      priced = await createGroundwork(
        loadConfig({
          dataDir: 'memory://',
          prices: { 'test:scripted': { inputPerMillion: 3, outputPerMillion: 15 } },
        }),
        { db: apps.app.db, languageModel: { model: apps.model, name: 'test:scripted' } },
      );
      // The same model under a provider the price table does not know.
      unpriced = await createGroundwork(loadConfig({ dataDir: 'memory://' }), {
        db: apps.app.db,
        languageModel: {
          model: { ...apps.model, provider: 'openai-compatible' },
          name: 'openai-compatible:scripted',
        },
      });
    }, 120_000);
    afterAll(async () => {
      await unpriced?.close();
      await priced?.close();
      await apps?.close();
    });

    const traceOf = async (app: Groundwork, traceId: string) => {
      await app.observability.flush();
      const response = await createHttpApp(app).request(`/v1/traces/${traceId}`);
      expect(response.status).toBe(200);
      return (await response.json()) as { trace: TraceRow; spans: SpanNode[] };
    };

    it('prices the model span, sums the trace, and lists the total', async () => {
      apps.replies.push({ text: 'Within 30 days [1].', usage: { inputTokens: 1000, outputTokens: 100 } });
      const http = createHttpApp(priced);
      const result = (await (
        await http.request('/v1/ask', ask('How long do I have to return a thermostat?'))
      ).json()) as AskResult;
      const expected = (1000 * 3 + 100 * 15) / 1e6;
      const { trace, spans } = await traceOf(priced, result.traceId);
      const chat = find(spans, 'gen_ai.chat') as SpanNode;
      expect(chat.attributes['groundwork.cost.usd']).toBeCloseTo(expected, 12);
      expect(chat.costUsd).toBeCloseTo(expected, 12);
      // Spans that call no model have no cost.
      expect(find(spans, 'retrieve')?.costUsd).toBeNull();
      expect(spans[0]?.costUsd).toBeNull();
      expect(trace.costUsd).toBeCloseTo(expected, 12);
      expect(trace.unpricedModelCalls).toBe(0);

      const list = (await (await http.request('/v1/traces?route=/v1/ask&limit=5')).json()) as {
        traces: TraceRow[];
      };
      const listed = list.traces.find((row) => row.traceId === result.traceId);
      expect(listed?.costUsd).toBeCloseTo(expected, 12);
      expect(listed?.unpricedModelCalls).toBe(0);

      // The cost counter takes the span's figure.
      const metrics = await (await http.request('/metrics')).text();
      const counted = /^groundwork_llm_cost_usd_total\{model="test:scripted",tenant="default"\} (\S+)/m.exec(
        metrics,
      )?.[1];
      expect(Number(counted)).toBeCloseTo(expected, 12);
    });

    it('prices embedding calls by the tokens the provider reports', async () => {
      const model = { provider: 'openai.embedding', modelId: 'text-embedding-3-small' };
      const traceId = await priced.observability.runRoot('embed.check', 'default', {}, () =>
        withSpan('embed_query', embeddingAttributes(model, 1), (span) => {
          recordEmbeddingTokens(span, { tokens: 50_000 });
          return activeTraceId() as string;
        }),
      );
      const { trace, spans } = await traceOf(priced, traceId);
      const embed = find(spans, 'embed_query') as SpanNode;
      expect(embed.attributes).toMatchObject({
        'groundwork.model': 'openai:text-embedding-3-small',
        'gen_ai.usage.input_tokens': 50_000,
      });
      // $0.02 per million tokens.
      expect(embed.costUsd).toBeCloseTo(0.001, 12);
      expect(trace.costUsd).toBeCloseTo(0.001, 12);
      // Embedding tokens are not LLM tokens: the trace's token totals leave them out.
      expect(trace.inputTokens).toBe(0);
    });

    it('counts a model without a price instead of pricing it at 0', async () => {
      apps.replies.push({ text: 'Within 30 days [1].', usage: { inputTokens: 400, outputTokens: 40 } });
      const http = createHttpApp(unpriced);
      const result = (await (
        await http.request('/v1/ask', ask('Can I return an opened router?'))
      ).json()) as AskResult;
      const { trace, spans } = await traceOf(unpriced, result.traceId);
      const chat = find(spans, 'gen_ai.chat') as SpanNode;
      expect(chat.attributes['groundwork.model']).toBe('openai-compatible:scripted');
      expect(chat.attributes['groundwork.cost.usd']).toBeUndefined();
      expect(chat.costUsd).toBeNull();
      expect(trace).toMatchObject({ costUsd: 0, unpricedModelCalls: 1, inputTokens: 400 });
    });
  });
}
