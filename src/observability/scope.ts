/**
 * @module observability/scope
 * Which app a span belongs to. The tracer provider is process-wide (the OpenTelemetry API has one
 * global), but a process can hold several apps (tests, the benchmark), each with its own store,
 * sampling and metrics. So every request and job runs inside a scope carried in the active context;
 * the provider routes each span to the sink of the scope it started in. Tenant and caller live on the
 * scope, not on each span, because they are known only once the request is authenticated.
 */
import { type Context, context, createContextKey } from '@opentelemetry/api';

/** Receives the spans of one app (see provider.ts). */
export interface SpanSink {
  /** Fraction of new traces kept (0–1). */
  readonly sampleRatio: number;
  /** How prompt and completion text is kept in spans. */
  readonly contentCapture: ContentCapture;
  /** Tenant of spans made outside any request or job. */
  readonly defaultTenant: string;
}

/** `off` keeps no text, `truncated` about 1 KB of it, `full` all of it; always scrubbed of PII. */
export type ContentCapture = 'off' | 'truncated' | 'full';

/** The request or job a span belongs to; `sink: null` means tracing is off for that app. */
export interface TraceScope {
  readonly sink: SpanSink | null;
  /** Set once the caller is known (after authentication). */
  tenantId?: string;
  principal?: string;
  route?: string;
}

const SCOPE_KEY = createContextKey('groundwork.trace-scope');

/** The scope of `ctx` (default: the active context). */
export function scopeOf(ctx: Context = context.active()): TraceScope | undefined {
  return ctx.getValue(SCOPE_KEY) as TraceScope | undefined;
}

/** `ctx` with `scope` set. */
export function withScopeValue(ctx: Context, scope: TraceScope): Context {
  return ctx.setValue(SCOPE_KEY, scope);
}

/** Runs `fn` inside `scope`. */
export function runInScope<T>(scope: TraceScope, fn: () => T): T {
  return context.with(withScopeValue(context.active(), scope), fn);
}
