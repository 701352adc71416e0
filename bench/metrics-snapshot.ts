/**
 * `/metrics` after a small load, for the record: an app on in-memory PGlite with the demo knowledge
 * base and the instant quoting model (priced as openai:gpt-4o-mini so the cost counter moves), a
 * number of `/v1/ask` and `/v1/chat` requests and one rated answer, then the Prometheus text filtered
 * to the families an operator reads first.
 *
 *   npx tsx bench/metrics-snapshot.ts [--requests 40] [--all]
 */
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { createHttpApp } from '../src/server/app.ts';
import { createInstantModel, ingestDemoKnowledge, NO_ANSWER_CACHE, runAskLoad } from './lib/ask-load.ts';

const { values } = parseArgs({
  options: { requests: { type: 'string', default: '40' }, all: { type: 'boolean', default: false } },
});

const app = await createGroundwork(
  loadConfig({
    dataDir: 'memory://',
    cache: NO_ANSWER_CACHE,
    embedder: 'none',
    observability: { logLevel: 'warn' },
    // Spans name the model by its provider and id (the quoting double is test:quoting).
    prices: { 'test:quoting': { inputPerMillion: 0.15, outputPerMillion: 0.6 } },
  }),
  { languageModel: { model: createInstantModel(), name: 'test:instant' } },
);
try {
  await ingestDemoKnowledge(app);
  const http = createHttpApp(app, { webRoot: null });
  await runAskLoad(http, { requests: Number(values.requests), concurrency: 4 });
  const asked = (await (
    await http.request('/v1/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ question: 'Do you ship to P.O. boxes?' }),
    })
  ).json()) as { traceId: string };
  await http.request('/v1/feedback', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ traceId: asked.traceId, rating: 'up' }),
  });
  await http.request('/v1/nope');
  const text = await (await http.request('/metrics')).text();
  const shown = values.all
    ? text.split('\n')
    : text
        .split('\n')
        .filter(
          (line) =>
            /^groundwork_(http_requests_total|stage_duration_seconds_(count|sum)|llm_tokens_total|llm_cost_usd_total|retrieved_documents_(count|sum)|ingest_(files_processed|chunks)_total|guardrail_decisions_total|feedback_total)/.test(
              line,
            ) ||
            /^groundwork_stage_duration_seconds_bucket\{.*stage="generate".*le="0\.0(05|1|25)"/.test(line),
        );
  process.stdout.write(`${shown.join('\n')}\n`);
} finally {
  await app.close();
}
