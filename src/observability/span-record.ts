/**
 * @module observability/span-record
 * Turns finished spans into store rows: times in epoch milliseconds, every string attribute and event
 * field scrubbed of personal data and secrets, and per trace what the batch adds to its trace row
 * (tokens of model calls; name, route, caller and status when the root span is in the batch).
 */
import { type Attributes, type HrTime, SpanKind, SpanStatusCode } from '@opentelemetry/api';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { ATTR_HTTP_ROUTE } from '@opentelemetry/semantic-conventions';
import { scrubPii } from '../guardrails/pii.ts';
import type { SpanRow, TraceDelta } from '../store/traces.ts';
import { GEN_AI } from './gen-ai.ts';
import type { TraceScope } from './scope.ts';
import { ERROR_CODE_ATTRIBUTE } from './tracer.ts';

/** A finished span and the scope it ran in. */
export interface ScopedSpan {
  readonly span: ReadableSpan;
  readonly scope: TraceScope;
  /** Start in epoch milliseconds to the microsecond; the SDK's own start time has whole milliseconds. */
  readonly startedAt?: number;
}

/** Model operations whose tokens count towards a trace's totals (embeddings are not LLM tokens). */
const TOKEN_OPERATIONS = new Set(['chat', 'text_completion', 'generate_content']);

/** Milliseconds since the epoch of an OpenTelemetry time. */
export function toMilliseconds(time: HrTime): number {
  return time[0] * 1000 + time[1] / 1e6;
}

/** Rows for a batch of spans. */
export function toRows(
  batch: readonly ScopedSpan[],
  defaultTenant: string,
): {
  spans: SpanRow[];
  traces: TraceDelta[];
} {
  const spans: SpanRow[] = [];
  const traces = new Map<string, TraceDelta>();
  for (const { span, scope, startedAt: preciseStart } of batch) {
    const tenantId = scope.tenantId ?? defaultTenant;
    const { traceId, spanId } = span.spanContext();
    const startedAt = preciseStart ?? toMilliseconds(span.startTime);
    const durationMs = toMilliseconds(span.duration);
    const parent = span.parentSpanContext;
    spans.push({
      tenantId,
      traceId,
      spanId,
      parentSpanId: parent?.spanId ?? null,
      name: span.name,
      kind: SpanKind[span.kind]?.toLowerCase() ?? 'internal',
      status: statusOf(span),
      // Microseconds, as Postgres keeps them: spans that start within one millisecond (a fast guardrail
      // check and the retrieval after it) must still sort in the order they started.
      startedAt: Math.round(startedAt * 1000) / 1000,
      durationMs,
      attributes: scrubAttributes(span.attributes),
      events: storedEvents(span.events),
    });
    const key = `${tenantId}\u0000${traceId}`;
    const previous = traces.get(key);
    const operation = span.attributes[GEN_AI.operation];
    const counts = typeof operation === 'string' && TOKEN_OPERATIONS.has(operation);
    const isRoot = !parent || parent.isRemote === true;
    traces.set(key, {
      tenantId,
      traceId,
      startedAt: Math.floor(Math.min(previous?.startedAt ?? startedAt, startedAt)),
      inputTokens:
        (previous?.inputTokens ?? 0) + (counts ? numberOf(span.attributes[GEN_AI.inputTokens]) : 0),
      outputTokens:
        (previous?.outputTokens ?? 0) + (counts ? numberOf(span.attributes[GEN_AI.outputTokens]) : 0),
      root: isRoot
        ? {
            name: span.name,
            route: stringOf(span.attributes[ATTR_HTTP_ROUTE]) ?? scope.route ?? null,
            principal: scope.principal ?? null,
            status: span.status.code === SpanStatusCode.ERROR ? 'error' : 'ok',
            errorCode: stringOf(span.attributes[ERROR_CODE_ATTRIBUTE]) ?? null,
            durationMs,
          }
        : previous?.root,
    });
  }
  return { spans, traces: [...traces.values()] };
}

/** A span event as stored; `repeated` when it stands for that many identical events in a row. */
export interface StoredEvent {
  readonly name: string;
  readonly at: number;
  readonly attributes: Record<string, unknown>;
  readonly repeated?: number;
}

/**
 * A span's events, scrubbed; a run of events with the same name and attributes (the passage check
 * records an `allow` per passage) is kept once with its count and the first one's time. It is about a
 * fifth of what a `/v1/ask` trace stores, and storing spans is most of what tracing costs on PGlite.
 */
function storedEvents(events: ReadableSpan['events']): StoredEvent[] {
  const stored: StoredEvent[] = [];
  let previousKey: string | undefined;
  for (const event of events) {
    const attributes = scrubAttributes(event.attributes ?? {});
    const key = `${event.name}\u0000${JSON.stringify(attributes)}`;
    const last = stored.at(-1);
    if (last && key === previousKey) {
      stored[stored.length - 1] = { ...last, repeated: (last.repeated ?? 1) + 1 };
      continue;
    }
    previousKey = key;
    stored.push({ name: event.name, at: Math.floor(toMilliseconds(event.time)), attributes });
  }
  return stored;
}

function statusOf(span: ReadableSpan): SpanRow['status'] {
  if (span.status.code === SpanStatusCode.ERROR) return 'error';
  return span.status.code === SpanStatusCode.OK ? 'ok' : 'unset';
}

/** Attributes with every string (and string in an array) scrubbed. */
export function scrubAttributes(attributes: Attributes): Record<string, unknown> {
  const scrubbed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (typeof value === 'string') scrubbed[key] = PRE_SCRUBBED.has(key) ? value : scrubString(value);
    else if (Array.isArray(value))
      scrubbed[key] = value.map((item: unknown) => (typeof item === 'string' ? scrubString(item) : item));
    else scrubbed[key] = value;
  }
  return scrubbed;
}

/** Prompt and completion text, already scrubbed when it was captured (tracer.ts `capturedContent`). */
const PRE_SCRUBBED = new Set<string>([GEN_AI.inputMessages, GEN_AI.outputMessages]);

/**
 * Every kind `scrubPii` finds contains a digit or `@`, or starts with one of these prefixes, so most
 * attribute values (route templates, names, modes) skip its detectors altogether.
 */
const MAY_HOLD_PII = /[\d@]|sk-|gw_|Bearer|gh[pousr]_|AKIA/;

function scrubString(value: string): string {
  return MAY_HOLD_PII.test(value) ? scrubPii(value) : value;
}

function numberOf(value: unknown): number {
  return typeof value === 'number' && Number.isFinite(value) ? Math.round(value) : 0;
}

function stringOf(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}
