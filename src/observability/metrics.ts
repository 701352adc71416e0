/**
 * @module observability/metrics
 * The Prometheus metrics of one app, in a registry of its own (not prom-client's global default), so
 * two apps in one process, or two tests, never share counts. Some are fed by the HTTP edge, some from
 * spans as they end (stages, tokens, retrieval, ingestion; see span-metrics.ts), and some are defined
 * here for other services to increment (cache, agents, feedback).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { FastHistogram } from './fast-histogram.ts';

const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

/** Every metric of an app. Label names are part of the contract; see each help text. */
export interface GroundworkMetrics {
  readonly registry: Registry;
  /** `{route, method, status}`; route is the template (`/v1/jobs/:id`), `unmatched` for 404s. */
  readonly httpRequests: Counter<'route' | 'method' | 'status'>;
  /** Responses with a 5xx status, same labels. */
  readonly httpErrors: Counter<'route' | 'method' | 'status'>;
  readonly httpDuration: FastHistogram<'route' | 'method' | 'status'>;
  /** `{stage}`: condense, retrieve, assemble_context, generate, cite… (observed for every stage span). */
  readonly stageDuration: FastHistogram<'stage'>;
  /** `{model, tenant, direction}`, direction `input` or `output`. */
  readonly llmTokens: Counter<'model' | 'tenant' | 'direction'>;
  /** `{model, tenant}`: fed through `addCost` with the price table's figures. */
  readonly llmCost: Counter<'model' | 'tenant'>;
  /** `{model, tenant}`: tokens of embedding calls (ingestion, backfills, queries). */
  readonly embeddingTokens: Counter<'model' | 'tenant'>;
  /** `{model, tenant}`: cost of embedding calls in US dollars, from the price table. */
  readonly embeddingCost: Counter<'model' | 'tenant'>;
  /** Passages one retrieval returned. */
  readonly retrievedDocuments: Histogram;
  /** `{cache, result}`, result `hit` or `miss`. */
  readonly cacheRequests: Counter<'cache' | 'result'>;
  /** Ingestion jobs waiting to run (read from the database at scrape time). */
  readonly ingestQueueDepth: Gauge;
  readonly ingestFilesProcessed: Counter;
  /** `{code}`: the per-file failure code. */
  readonly ingestFilesFailed: Counter<'code'>;
  readonly ingestChunks: Counter;
  /** `{agent}`. */
  readonly agentSteps: Counter<'agent'>;
  /** `{tool}`. */
  readonly toolErrors: Counter<'tool'>;
  /** `{trigger}`: conversations handed to a human operator, by why (customer-request, sensitive…). */
  readonly escalations: Counter<'trigger'>;
  /** `{rating}`: `up` or `down`. */
  readonly feedback: Counter<'rating'>;
  /** `{stage, guardrail, action}`: every guardrail decision (allow too), read from span events. */
  readonly guardrailDecisions: Counter<'stage' | 'guardrail' | 'action'>;
  /** `{sink}`: `store` (queue full or write failed) or `otlp` (export failed or timed out). */
  readonly spansDropped: Counter<'sink'>;
  /**
   * `{reason}`: answers given but not recorded in the answer log: `write_failed` (the row was
   * refused) or `dropped` (the queue overflowed while the database was unavailable).
   */
  readonly answerLogFailures: Counter<'reason'>;
  /**
   * `{quantile}` (`0.5`, `0.99`, `max`): this process's event-loop delay since the previous scrape,
   * in seconds: how long work waited for the thread (parsing on the main thread shows up here).
   */
  readonly eventLoopDelay: Gauge<'quantile'>;
}

/**
 * Creates an app's metrics; `queueDepth` is read at each scrape.
 *
 * @example
 * const metrics = createMetrics({ queueDepth: () => countQueuedJobs(db) });
 * metrics.cacheRequests.inc({ cache: 'answers', result: 'hit' });
 * const text = await metrics.registry.metrics();
 */
export function createMetrics(options: { queueDepth?: () => Promise<number> } = {}): GroundworkMetrics {
  const registry = new Registry();
  const registers = [registry];
  const http = ['route', 'method', 'status'] as const;
  const queueDepth = options.queueDepth;
  // Process-wide and cheap (a libuv timer every 10 ms that does not keep the process alive).
  const loopDelay = monitorEventLoopDelay({ resolution: 10 });
  loopDelay.enable();
  return {
    registry,
    httpRequests: new Counter({
      name: 'groundwork_http_requests_total',
      help: 'HTTP requests by route template, method and status.',
      labelNames: http,
      registers,
    }),
    httpErrors: new Counter({
      name: 'groundwork_http_errors_total',
      help: 'HTTP responses with a 5xx status.',
      labelNames: http,
      registers,
    }),
    httpDuration: new FastHistogram(
      'groundwork_http_request_duration_seconds',
      'HTTP request latency, until the last byte of a streamed body.',
      http,
      LATENCY_BUCKETS,
      registers,
    ),
    stageDuration: new FastHistogram(
      'groundwork_stage_duration_seconds',
      'Latency of each step of the answer pipeline.',
      ['stage'],
      LATENCY_BUCKETS,
      registers,
    ),
    llmTokens: new Counter({
      name: 'groundwork_llm_tokens_total',
      help: 'Language-model tokens by model, tenant and direction (input or output).',
      labelNames: ['model', 'tenant', 'direction'],
      registers,
    }),
    llmCost: new Counter({
      name: 'groundwork_llm_cost_usd_total',
      help: 'Language-model cost in US dollars by model and tenant, from the price table.',
      labelNames: ['model', 'tenant'],
      registers,
    }),
    embeddingTokens: new Counter({
      name: 'groundwork_embedding_tokens_total',
      help: 'Embedding-model tokens by model and tenant (reported by the provider, else estimated).',
      labelNames: ['model', 'tenant'],
      registers,
    }),
    embeddingCost: new Counter({
      name: 'groundwork_embedding_cost_usd_total',
      help: 'Embedding-model cost in US dollars by model and tenant, from the price table.',
      labelNames: ['model', 'tenant'],
      registers,
    }),
    retrievedDocuments: new Histogram({
      name: 'groundwork_retrieved_documents',
      help: 'Passages returned by one retrieval.',
      buckets: [0, 1, 2, 3, 5, 8, 10, 15, 20, 30, 50, 100],
      registers,
    }),
    cacheRequests: new Counter({
      name: 'groundwork_cache_requests_total',
      help: 'Cache lookups by cache and result (hit or miss).',
      labelNames: ['cache', 'result'],
      registers,
    }),
    ingestQueueDepth: new Gauge({
      name: 'groundwork_ingest_queue_depth',
      help: 'Ingestion jobs queued and not yet running.',
      registers,
      async collect() {
        if (queueDepth) this.set(await queueDepth());
      },
    }),
    ingestFilesProcessed: new Counter({
      name: 'groundwork_ingest_files_processed_total',
      help: 'Files (job items) ingested, changed or unchanged.',
      registers,
    }),
    ingestFilesFailed: new Counter({
      name: 'groundwork_ingest_files_failed_total',
      help: 'Files (job items) that failed, by failure code.',
      labelNames: ['code'],
      registers,
    }),
    ingestChunks: new Counter({
      name: 'groundwork_ingest_chunks_total',
      help: 'Chunks written by ingestion.',
      registers,
    }),
    agentSteps: new Counter({
      name: 'groundwork_agent_steps_total',
      help: 'Agent loop steps by agent.',
      labelNames: ['agent'],
      registers,
    }),
    toolErrors: new Counter({
      name: 'groundwork_tool_errors_total',
      help: 'Tool calls that failed, by tool.',
      labelNames: ['tool'],
      registers,
    }),
    escalations: new Counter({
      name: 'groundwork_escalations_total',
      help: 'Conversations escalated to a human operator, by trigger.',
      labelNames: ['trigger'],
      registers,
    }),
    feedback: new Counter({
      name: 'groundwork_feedback_total',
      help: 'Answer feedback by rating (up or down).',
      labelNames: ['rating'],
      registers,
    }),
    guardrailDecisions: new Counter({
      name: 'groundwork_guardrail_decisions_total',
      help: 'Guardrail decisions by stage (input, passage, tool-result, output), guardrail and action.',
      labelNames: ['stage', 'guardrail', 'action'],
      registers,
    }),
    spansDropped: new Counter({
      name: 'groundwork_spans_dropped_total',
      help: 'Spans not stored or not exported, by sink (store or otlp).',
      labelNames: ['sink'],
      registers,
    }),
    answerLogFailures: new Counter({
      name: 'groundwork_answer_log_failures_total',
      help: 'Answers given but not recorded in the answer log, by reason (write_failed or dropped).',
      labelNames: ['reason'],
      registers,
    }),
    eventLoopDelay: new Gauge({
      name: 'groundwork_event_loop_delay_seconds',
      help: 'Event-loop delay of this process since the previous scrape, by quantile (0.5, 0.99, max).',
      labelNames: ['quantile'],
      registers,
      collect() {
        // Before the first sample the histogram reports its empty state; report nothing instead.
        if (loopDelay.count === 0) return;
        this.set({ quantile: '0.5' }, loopDelay.percentile(50) / 1e9);
        this.set({ quantile: '0.99' }, loopDelay.percentile(99) / 1e9);
        this.set({ quantile: 'max' }, loopDelay.max / 1e9);
        loopDelay.reset();
      },
    }),
  };
}
