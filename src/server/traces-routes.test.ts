import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpanNode } from '../observability/span-tree.ts';
import type { AskResult } from '../spec/answer.ts';
import type { TraceRow } from '../store/traces.ts';
import { type AnswerApps, openAnswerApps } from '../testing/answer-apps.ts';
import { testBackends } from '../testing/databases.ts';
import { createHttpApp } from './app.ts';

const ask = (question: string, headers: Record<string, string> = {}) => ({
  method: 'POST',
  headers: { 'content-type': 'application/json', ...headers },
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
  describe(`traces API on ${backend.name}`, () => {
    let apps: AnswerApps;
    let http: ReturnType<typeof createHttpApp>;

    beforeAll(async () => {
      apps = await openAnswerApps(backend);
      http = createHttpApp(apps.app);
    }, 120_000);
    afterAll(async () => {
      await apps?.close();
    });

    it('stores one /v1/ask as a span tree with the model call’s tokens', async () => {
      apps.replies.push({ text: 'Within 30 days [1].', usage: { inputTokens: 321, outputTokens: 12 } });
      const response = await http.request('/v1/ask', ask('How long do I have to return a thermostat?'));
      expect(response.status).toBe(200);
      const result = (await response.json()) as AskResult;
      expect(result.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(response.headers.get('traceparent')).toMatch(
        new RegExp(`^00-${result.traceId}-[0-9a-f]{16}-01$`),
      );
      await apps.app.observability.flush();

      const detail = await http.request(`/v1/traces/${result.traceId}`);
      expect(detail.status).toBe(200);
      const { trace, spans } = (await detail.json()) as { trace: TraceRow; spans: SpanNode[] };
      expect(trace).toMatchObject({
        traceId: result.traceId,
        name: 'POST /v1/ask',
        route: '/v1/ask',
        principal: 'anonymous',
        status: 'ok',
        inputTokens: 321,
        outputTokens: 12,
      });
      expect(spans).toHaveLength(1);
      const root = spans[0] as SpanNode;
      expect(root.attributes).toMatchObject({
        'http.route': '/v1/ask',
        'http.request.method': 'POST',
        'http.response.status_code': 200,
        'groundwork.tenant': 'default',
      });
      expect(root.children.map((child) => child.name)).toEqual([
        'guardrails.input',
        'retrieve',
        'assemble_context',
        'guardrails.passages',
        'generate',
        'cite',
      ]);
      const retrieve = find(spans, 'retrieve') as SpanNode;
      expect(retrieve.children.map((child) => child.name)).toEqual(['lexical_search', 'fusion']);
      expect(retrieve.attributes['groundwork.retrieval.results']).toBeGreaterThan(0);
      expect(find(spans, 'assemble_context')?.attributes['groundwork.context.kept']).toBeGreaterThan(0);
      const chat = find(find(spans, 'generate')?.children ?? [], 'gen_ai.chat') as SpanNode;
      expect(chat.attributes).toMatchObject({
        'gen_ai.operation.name': 'chat',
        'gen_ai.usage.input_tokens': 321,
        'gen_ai.usage.output_tokens': 12,
        'gen_ai.response.finish_reasons': ['stop'],
      });
      expect(find(spans, 'cite')?.attributes['groundwork.citations.kept']).toBe(1);

      const list = await http.request('/v1/traces?route=/v1/ask&limit=5');
      const body = (await list.json()) as { traces: TraceRow[] };
      expect(body.traces.map((row) => row.traceId)).toContain(result.traceId);
    });

    it('records a failed model call on its span and the trace', async () => {
      apps.replies.push({ error: new Error('upstream exploded for ana@example.com') });
      const response = await http.request('/v1/ask', ask('How do I factory reset the router?'));
      expect(response.status).toBe(500);
      const traceId = /^00-([0-9a-f]{32})-/.exec(response.headers.get('traceparent') ?? '')?.[1];
      expect(traceId).toBeDefined();
      await apps.app.observability.flush();
      const detail = await http.request(`/v1/traces/${traceId}`);
      const { trace, spans } = (await detail.json()) as { trace: TraceRow; spans: SpanNode[] };
      expect(trace).toMatchObject({ status: 'error', errorCode: 'internal_error' });
      const chat = find(spans, 'gen_ai.chat') as SpanNode;
      expect(chat.status).toBe('error');
      expect(JSON.stringify(chat.events)).toContain('upstream exploded for [email]');
      expect(JSON.stringify(spans)).not.toContain('ana@example.com');
    });

    it('pages through traces with a cursor and filters them', async () => {
      for (let index = 0; index < 3; index++) {
        await http.request('/v1/ask', ask(`Do you ship to P.O. boxes? (${index})`));
      }
      await apps.app.observability.flush();
      const first = (await (await http.request('/v1/traces?route=/v1/ask&limit=2')).json()) as {
        traces: TraceRow[];
        nextCursor: string;
      };
      expect(first.traces).toHaveLength(2);
      const second = (await (
        await http.request(`/v1/traces?route=/v1/ask&limit=2&cursor=${first.nextCursor}`)
      ).json()) as { traces: TraceRow[] };
      const ids = [...first.traces, ...second.traces].map((row) => row.traceId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(second.traces.length).toBeGreaterThan(0);
      const errors = (await (await http.request('/v1/traces?status=error')).json()) as { traces: TraceRow[] };
      expect(errors.traces.length).toBeGreaterThan(0);
      expect(errors.traces.every((row) => row.status === 'error')).toBe(true);
      const slow = (await (await http.request('/v1/traces?minDurationMs=86400000')).json()) as {
        traces: TraceRow[];
      };
      expect(slow.traces).toEqual([]);
    });

    it('refuses bad queries with invalid_trace_query', async () => {
      const now = Date.now();
      const iso = (offsetMs: number) => new Date(now + offsetMs).toISOString();
      const bad = [
        `from=${iso(0)}&to=${iso(-60_000)}`,
        `from=${iso(-30 * 86_400_000)}`,
        'limit=500',
        'limit=0',
        'minDurationMs=-1',
        'maxDurationMs=1e12',
        'minDurationMs=20&maxDurationMs=10',
        'from=yesterday',
        'cursor=bm9wZQ',
        'colour=blue',
      ];
      for (const query of bad) {
        const response = await http.request(`/v1/traces?${query}`);
        expect(response.status, query).toBe(400);
        expect(((await response.json()) as { error: { code: string } }).error.code, query).toBe(
          'invalid_trace_query',
        );
      }
      const unknown = await http.request(`/v1/traces/${'0'.repeat(32)}`);
      expect(unknown.status).toBe(404);
      expect(((await unknown.json()) as { error: { code: string } }).error.code).toBe('trace_not_found');
      expect((await http.request('/v1/traces/not-an-id')).status).toBe(404);
    });

    it('exposes metrics after a few requests', async () => {
      const response = await http.request('/metrics');
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toContain('text/plain');
      const text = await response.text();
      const value = (pattern: RegExp) => Number(pattern.exec(text)?.[1] ?? Number.NaN);
      expect(
        value(/^groundwork_http_requests_total\{route="\/v1\/ask",method="POST",status="200"\} (\d+)/m),
      ).toBeGreaterThanOrEqual(4);
      expect(
        value(/^groundwork_http_errors_total\{route="\/v1\/ask",method="POST",status="500"\} (\d+)/m),
      ).toBe(1);
      expect(text).toMatch(/^groundwork_http_request_duration_seconds_count\{route="\/v1\/ask"/m);
      expect(
        value(
          /^groundwork_llm_tokens_total\{model="test:scripted",tenant="default",direction="input"\} (\d+)/m,
        ),
      ).toBeGreaterThanOrEqual(321);
      expect(text).toMatch(/^groundwork_llm_cost_usd_total\{model="test:scripted",tenant="default"\} 0$/m);
      for (const stage of ['retrieve', 'assemble_context', 'generate', 'cite']) {
        expect(text).toMatch(
          new RegExp(`^groundwork_stage_duration_seconds_count\\{stage="${stage}"\\} [1-9]`, 'm'),
        );
      }
      expect(value(/^groundwork_retrieved_documents_count (\d+)/m)).toBeGreaterThanOrEqual(4);
      // Every guardrail decision, allows too, counted from the spans' decision events.
      expect(
        value(
          /^groundwork_guardrail_decisions_total\{stage="input",guardrail="prompt-injection",action="allow"\} (\d+)/m,
        ),
      ).toBeGreaterThanOrEqual(4);
      expect(value(/^groundwork_ingest_files_processed_total (\d+)/m)).toBeGreaterThan(0);
      expect(value(/^groundwork_ingest_chunks_total (\d+)/m)).toBeGreaterThan(0);
      expect(value(/^groundwork_ingest_queue_depth (\d+)/m)).toBe(0);
      expect(value(/^groundwork_spans_dropped_total\{sink="store"\} (\d+)/m)).toBe(0);
      expect(text).toContain('# TYPE groundwork_cache_requests_total counter');
      expect(text).toContain('# TYPE groundwork_feedback_total counter');
      // The other app over the same database has its own registry: it counted none of this.
      const other = await (await createHttpApp(apps.plain).request('/metrics')).text();
      expect(other).not.toMatch(/^groundwork_http_requests_total\{route="\/v1\/ask"/m);
    });

    it('keeps traces to their tenant and to operators and admins (runs last: it turns auth on)', async () => {
      const { traces } = (await (await http.request('/v1/traces?limit=1')).json()) as { traces: TraceRow[] };
      const traceId = (traces[0] as TraceRow).traceId;
      const key = async (tenantId: string, role: 'customer' | 'operator' | 'admin') =>
        (await apps.app.keys.create({ tenantId, name: role, role }, { actor: 'cli' })).secret;
      const operator = { authorization: `Bearer ${await key('default', 'operator')}` };
      const customer = { authorization: `Bearer ${await key('default', 'customer')}` };
      const stranger = { authorization: `Bearer ${await key('other', 'admin')}` };

      expect((await http.request(`/v1/traces/${traceId}`, { headers: operator })).status).toBe(200);
      const refused = await http.request('/v1/traces', { headers: customer });
      expect(refused.status).toBe(403);
      const foreign = await http.request(`/v1/traces/${traceId}`, { headers: stranger });
      expect(foreign.status).toBe(404);
      expect(((await foreign.json()) as { error: { code: string } }).error.code).toBe('trace_not_found');
      const theirs = (await (await http.request('/v1/traces', { headers: stranger })).json()) as {
        traces: TraceRow[];
      };
      expect(theirs.traces.map((row) => row.traceId)).not.toContain(traceId);

      expect((await http.request('/metrics')).status).toBe(401);
      expect((await http.request('/metrics', { headers: operator })).status).toBe(403);
      // Metrics span tenants: another tenant's admin is refused; a platform key may scrape.
      const foreignScrape = await http.request('/metrics', { headers: stranger });
      expect(foreignScrape.status).toBe(403);
      expect(((await foreignScrape.json()) as { error: { code: string } }).error.code).toBe(
        'platform_scope_required',
      );
      const platform = (
        await apps.app.keys.create(
          { tenantId: 'other', name: 'prometheus', role: 'admin', platform: true },
          { actor: 'cli' },
        )
      ).secret;
      expect(
        (await http.request('/metrics', { headers: { authorization: `Bearer ${platform}` } })).status,
      ).toBe(200);
    });
  });
}
