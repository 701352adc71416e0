/**
 * @module observability/observability
 * An app's observability: its metrics, its trace store and OTLP export, its sampling and content
 * settings, and trace retention. The composition root creates one per app; it registers itself with
 * the process-wide tracer provider and receives the spans of its own requests and jobs.
 */
import { type Attributes, context, TraceFlags, trace } from '@opentelemetry/api';
import type { BatchSpanProcessor, ReadableSpan, Span } from '@opentelemetry/sdk-trace-base';
import type { Database } from '../store/database.ts';
import { deleteTracesBefore } from '../store/traces.ts';
import type { Logger } from './logger.ts';
import { createMetrics, type GroundworkMetrics } from './metrics.ts';
import { createOtlpProcessor } from './otlp.ts';
import { installTracing, registerSink, type SpanReceiver } from './provider.ts';
import type { ContentCapture, TraceScope } from './scope.ts';
import { withScopeValue } from './scope.ts';
import { priceSpan } from './span-cost.ts';
import { observeSpan, type PriceOf } from './span-metrics.ts';
import { TraceReader } from './trace-reader.ts';
import { TraceStore } from './trace-store.ts';
import { withSpan } from './tracer.ts';

/** The `observability` section of the config. */
export interface ObservabilitySettings {
  /** Tracing and metrics on (the default) or off. */
  readonly enabled: boolean;
  readonly sampleRatio: number;
  readonly contentCapture: ContentCapture;
  readonly retentionDays: number;
  readonly otlpEndpoint?: string;
  readonly otlpTimeoutMs: number;
}

/** What an app's observability is built from. */
export interface ObservabilityOptions {
  readonly db: Database;
  readonly settings: ObservabilitySettings;
  readonly defaultTenant: string;
  /** The price table's cost of a model call; without it model spans carry no cost, and the cost counter stays at 0. */
  readonly priceOf?: PriceOf;
  readonly logger?: Logger;
  /** Spans the store queue holds at most (tests make it small). */
  readonly maxQueuedSpans?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;
const RETENTION_INTERVAL_MS = 60 * 60 * 1000;
/** How long `close` waits for the collector before giving up on the spans still queued for it. */
const OTLP_CLOSE_WAIT_MS = 2000;

/**
 * Creates an app's observability and registers it with the process's tracer provider.
 *
 * @example
 * const observability = createObservability({ db, settings: config.observability, defaultTenant: 'default' });
 * await observability.runRoot('ingest.job', 'acme', { 'groundwork.job.id': id }, () => runJob(job));
 * observability.metrics.cacheRequests.inc({ cache: 'answers', result: 'miss' });
 */
export function createObservability(options: ObservabilityOptions): Observability {
  installTracing();
  return new Observability(options);
}

/** See the module comment. */
export class Observability implements SpanReceiver {
  readonly metrics: GroundworkMetrics;
  readonly enabled: boolean;
  readonly sampleRatio: number;
  readonly contentCapture: ContentCapture;
  readonly defaultTenant: string;
  readonly retentionDays: number;
  /** The stored traces, read through `db.read` (a read replica when one is configured). */
  readonly traces: TraceReader;
  private readonly store: TraceStore | undefined;
  private readonly otlp: BatchSpanProcessor | undefined;
  private readonly unregister: () => void;
  private readonly retentionTimer: NodeJS.Timeout | undefined;
  private retention: Promise<number> | undefined;

  constructor(private readonly options: ObservabilityOptions) {
    const { settings, db } = options;
    this.enabled = settings.enabled;
    this.sampleRatio = settings.sampleRatio;
    this.contentCapture = settings.contentCapture;
    this.defaultTenant = options.defaultTenant;
    this.retentionDays = settings.retentionDays;
    this.traces = new TraceReader(db.read);
    this.metrics = createMetrics({ queueDepth: () => queuedJobs(db) });
    const onDrop = (sink: 'store' | 'otlp') => (count: number) =>
      this.metrics.spansDropped.inc({ sink }, count);
    // Both series exist from the start, so a dashboard shows 0 rather than nothing.
    this.metrics.spansDropped.inc({ sink: 'store' }, 0);
    if (!this.enabled) {
      this.unregister = () => {};
      return;
    }
    this.store = new TraceStore({
      db,
      defaultTenant: options.defaultTenant,
      maxQueue: options.maxQueuedSpans,
      onDrop: onDrop('store'),
      onError: (error) => options.logger?.warn({ err: error }, 'Writing spans failed; they were dropped.'),
    });
    if (settings.otlpEndpoint) {
      this.metrics.spansDropped.inc({ sink: 'otlp' }, 0);
      this.otlp = createOtlpProcessor({
        endpoint: settings.otlpEndpoint,
        timeoutMs: settings.otlpTimeoutMs,
        onDrop: onDrop('otlp'),
      });
    }
    this.unregister = registerSink(this);
    void this.applyRetention();
    this.retentionTimer = setInterval(() => void this.applyRetention(), RETENTION_INTERVAL_MS);
    this.retentionTimer.unref();
  }

  /** A scope for one request or job; its spans come to this app (or nowhere when tracing is off). */
  newScope(tenantId?: string): TraceScope {
    return { sink: this.enabled ? this : null, tenantId };
  }

  /** Runs `fn` as the root span of a new trace of `tenantId` (an ingestion job, a scheduled task). */
  runRoot<T>(name: string, tenantId: string, attributes: Attributes, fn: () => Promise<T>): Promise<T> {
    const root = withScopeValue(trace.deleteSpan(context.active()), this.newScope(tenantId));
    return context.with(root, () => withSpan(name, attributes, fn));
  }

  /** @internal Prices a model span of this app as it ends (see span-cost.ts). */
  onSpanEnding(span: Span): void {
    if (this.options.priceOf) priceSpan(span, span.attributes, this.options.priceOf);
  }

  /** @internal Receives this app's spans from the provider. */
  onSpanEnd(span: ReadableSpan, scope: TraceScope, startedAt: number): void {
    observeSpan(this.metrics, span, scope.tenantId ?? this.defaultTenant, this.options.priceOf);
    if ((span.spanContext().traceFlags & TraceFlags.SAMPLED) === 0) return;
    this.store?.add({ span, scope, startedAt });
    this.otlp?.onEnd(span);
  }

  /** Writes the spans queued for the store now (tests and shutdown; otherwise about every second). */
  async flush(): Promise<void> {
    await this.store?.flush();
  }

  /** Deletes traces older than the retention; returns how many. Runs at start and every hour. */
  async applyRetention(now = Date.now()): Promise<number> {
    // One deletion at a time; a call during one (the start-up run on a slow machine) waits for it and
    // then deletes with its own `now`, rather than returning the other run's count.
    while (this.retention) await this.retention;
    this.retention = deleteTracesBefore(this.options.db, now - this.retentionDays * DAY_MS)
      .catch((error: unknown) => {
        this.options.logger?.warn({ err: error }, 'Deleting old traces failed.');
        return 0;
      })
      .finally(() => {
        this.retention = undefined;
      });
    return this.retention;
  }

  /** Stops receiving spans, writes what is queued, and gives the collector a short while. */
  async close(): Promise<void> {
    this.unregister();
    if (this.retentionTimer) clearInterval(this.retentionTimer);
    await this.retention;
    await this.store?.close();
    if (this.otlp) {
      let timer: NodeJS.Timeout | undefined;
      const giveUp = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, OTLP_CLOSE_WAIT_MS);
      });
      await Promise.race([this.otlp.shutdown().catch(() => {}), giveUp]);
      clearTimeout(timer);
    }
  }
}

async function queuedJobs(db: Database): Promise<number> {
  const { rows } = await db.query<{ count: number }>(
    `SELECT count(*)::int AS count FROM ingest_jobs WHERE status = 'queued'`,
  );
  return rows[0]?.count ?? 0;
}
