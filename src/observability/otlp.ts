/**
 * @module observability/otlp
 * Export to an OpenTelemetry collector over OTLP/HTTP, batched in the background. A collector that is
 * down or hangs costs requests nothing: spans wait in the batch processor's bounded queue, each export
 * is cut off after a timeout, and spans that could not be delivered are counted as dropped.
 */
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { BatchSpanProcessor, type ReadableSpan, type SpanExporter } from '@opentelemetry/sdk-trace-base';

/** Where and how to export. */
export interface OtlpOptions {
  /** The collector's base URL (`http://collector:4318`) or its full traces URL (`…/v1/traces`). */
  readonly endpoint: string;
  readonly timeoutMs: number;
  /** Called with the number of spans that could not be exported. */
  readonly onDrop: (count: number) => void;
}

/** The traces URL for a base endpoint, as OTEL_EXPORTER_OTLP_ENDPOINT means it. */
export function tracesUrl(endpoint: string): string {
  const trimmed = endpoint.replace(/\/+$/, '');
  return trimmed.endsWith('/v1/traces') ? trimmed : `${trimmed}/v1/traces`;
}

/** A batch span processor exporting to the collector. */
export function createOtlpProcessor(options: OtlpOptions): BatchSpanProcessor {
  const exporter = new OTLPTraceExporter({
    url: tracesUrl(options.endpoint),
    timeoutMillis: options.timeoutMs,
  });
  return new BatchSpanProcessor(new CountingExporter(exporter, options.onDrop), {
    maxQueueSize: 2048,
    maxExportBatchSize: 512,
    scheduledDelayMillis: 1000,
    exportTimeoutMillis: options.timeoutMs,
  });
}

/** Counts the spans of every failed export. */
class CountingExporter implements SpanExporter {
  constructor(
    private readonly inner: SpanExporter,
    private readonly onDrop: (count: number) => void,
  ) {}

  export(spans: ReadableSpan[], resultCallback: Parameters<SpanExporter['export']>[1]): void {
    let settled = false;
    this.inner.export(spans, (result) => {
      if (settled) return;
      settled = true;
      // 0 is ExportResultCode.SUCCESS (from @opentelemetry/core, which we do not depend on directly).
      if (result.code !== 0) this.onDrop(spans.length);
      resultCallback(result);
    });
  }

  shutdown(): Promise<void> {
    return this.inner.shutdown();
  }

  forceFlush(): Promise<void> {
    return this.inner.forceFlush?.() ?? Promise.resolve();
  }
}
