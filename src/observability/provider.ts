/**
 * @module observability/provider
 * The one OpenTelemetry tracer provider of the process, registered by the composition root. Anything
 * that makes spans through the global API (`trace.getTracer(…)`, here or in the agent runtime) lands
 * in it. It does not store or export anything itself: each app registers a sink, and the provider
 * routes every span to the sink of the scope it started in (see scope.ts), so several apps in one
 * process (tests, the benchmark) each see only their own spans. Sampling is per sink, decided at the
 * root and inherited by children. Unsampled spans are still recorded (not exported) so metrics that
 * are derived from spans count every request.
 */
import { type Context, context, type SpanKind, TraceFlags, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { resourceFromAttributes } from '@opentelemetry/resources';
import {
  BasicTracerProvider,
  type ReadableSpan,
  type Sampler,
  SamplingDecision,
  type SamplingResult,
  type Span,
  type SpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { ATTR_SERVICE_NAME } from '@opentelemetry/semantic-conventions';
import { type SpanSink, scopeOf, type TraceScope } from './scope.ts';

/** A sink that also receives spans: the app's side of the provider. */
export interface SpanReceiver extends SpanSink {
  /**
   * Called for every recorded span of the sink's scopes as it ends (sampled or not); `startedAt` is
   * its start in epoch milliseconds to the microsecond (see `preciseNow`).
   */
  onSpanEnd(span: ReadableSpan, scope: TraceScope, startedAt: number): void;
  /** Called just before `onSpanEnd`, while the span still takes attributes (to add derived ones). */
  onSpanEnding?(span: Span, scope: TraceScope): void;
}

interface Route {
  readonly receiver: SpanReceiver;
  readonly scope: TraceScope;
}

const receivers = new Set<SpanReceiver>();
let installed = false;

/**
 * Where a recorded span goes and when it started, kept on the span itself under a private symbol.
 * A WeakMap from span to route cost ~2 µs a span (entries of short-lived keys are expensive to add
 * and to collect), a tenth of a millisecond per `/v1/ask`; a property set the same way on every
 * span keeps one hidden class.
 */
const ROUTE = Symbol('groundwork.route');
const STARTED_AT = Symbol('groundwork.started-at');

interface RoutedSpan {
  [ROUTE]?: Route;
  [STARTED_AT]?: number;
}

/**
 * Registers the global provider and the AsyncLocalStorage context manager, once per process.
 *
 * @example
 * installTracing();
 * const unregister = registerSink(observability);
 */
export function installTracing(): void {
  if (installed) return;
  installed = true;
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: 'groundwork' }),
    sampler: new RoutingSampler(),
    spanProcessors: [new RoutingProcessor()],
  });
  // No propagator: an incoming `traceparent` is not honoured, since a caller could otherwise join
  // another tenant's trace id. The HTTP edge writes the outgoing header itself.
  trace.setGlobalTracerProvider(provider);
}

/** Routes the spans of `receiver`'s scopes to it until the returned function is called. */
export function registerSink(receiver: SpanReceiver): () => void {
  receivers.add(receiver);
  return () => receivers.delete(receiver);
}

/** The receiver a span started in `ctx` goes to: its scope's, or the only one when it has no scope. */
function receiverFor(ctx: Context): Route | undefined {
  const scope = scopeOf(ctx);
  if (scope) {
    const sink = scope.sink as SpanReceiver | null;
    return sink && receivers.has(sink) ? { receiver: sink, scope } : undefined;
  }
  // Work outside any request or job (a timer, a background agent) goes to the process's one app; with
  // several apps it is ambiguous, so it is not recorded.
  if (receivers.size !== 1) return undefined;
  const [only] = receivers as Set<SpanReceiver>;
  return only ? { receiver: only, scope: { sink: only } } : undefined;
}

class RoutingSampler implements Sampler {
  shouldSample(ctx: Context, traceId: string, _name: string, _kind: SpanKind): SamplingResult {
    const route = receiverFor(ctx);
    if (!route) return { decision: SamplingDecision.NOT_RECORD };
    const parent = trace.getSpanContext(ctx);
    const sampled = parent
      ? (parent.traceFlags & TraceFlags.SAMPLED) !== 0
      : keepTrace(traceId, route.receiver.sampleRatio);
    return { decision: sampled ? SamplingDecision.RECORD_AND_SAMPLED : SamplingDecision.RECORD };
  }

  toString(): string {
    return 'GroundworkRoutingSampler';
  }
}

/** Deterministic by trace id, so every process that sees a trace makes the same choice. */
export function keepTrace(traceId: string, ratio: number): boolean {
  if (ratio >= 1) return true;
  if (ratio <= 0) return false;
  return Number.parseInt(traceId.slice(-8), 16) / 0x1_0000_0000 < ratio;
}

/**
 * Now in epoch milliseconds with sub-millisecond precision. The SDK stamps a span's start with
 * `Date.now()`, whole milliseconds, so a fast guardrail check and the retrieval after it can share a
 * start time and sort at random; the store keeps this reading, taken as the span starts, instead. It
 * is the clock the SDK times events and durations with (time origin + monotonic time).
 */
export function preciseNow(): number {
  return performance.timeOrigin + performance.now();
}

class RoutingProcessor implements SpanProcessor {
  onStart(span: Span, parentContext: Context): void {
    const route = receiverFor(parentContext);
    if (!route) return;
    const routed = span as unknown as RoutedSpan;
    routed[ROUTE] = route;
    routed[STARTED_AT] = preciseNow();
  }

  /** The SDK's (experimental) hook before a span ends: the last moment it takes attributes. */
  onEnding(span: Span): void {
    const route = (span as unknown as RoutedSpan)[ROUTE];
    route?.receiver.onSpanEnding?.(span, route.scope);
  }

  onEnd(span: ReadableSpan): void {
    const routed = span as unknown as RoutedSpan;
    const route = routed[ROUTE];
    if (!route) return;
    // Cleared, so a span is handed to its app once however often the SDK reports it.
    routed[ROUTE] = undefined;
    route.receiver.onSpanEnd(span, route.scope, routed[STARTED_AT] ?? preciseNow());
  }

  async forceFlush(): Promise<void> {}

  async shutdown(): Promise<void> {}
}
