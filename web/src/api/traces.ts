/** Traces (operators and admins): search and one trace as a span tree. Mirrors src/server/routes/traces-schema.ts. */
import type { ApiClient } from './http.ts';

/** A trace as the list shows it. */
export interface TraceSummary {
  readonly traceId: string;
  readonly name: string | null;
  readonly route: string | null;
  readonly principal: string | null;
  readonly status: 'ok' | 'error';
  readonly errorCode: string | null;
  readonly startedAt: string;
  readonly durationMs: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  /** Sum of the model calls' cost in USD. */
  readonly costUsd: number;
  /** Model calls without a price: `costUsd` is then a lower bound. */
  readonly unpricedModelCalls: number;
}

/** One span with its children. */
export interface Span {
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: string;
  readonly status: 'ok' | 'error' | 'unset';
  readonly startedAt: string;
  readonly durationMs: number;
  readonly attributes: Record<string, unknown>;
  /** A model call's cost in USD; null for other spans and models without a price. */
  readonly costUsd: number | null;
  readonly children: readonly Span[];
}

/** Filters of the search; empty fields are left out. */
export interface TraceFilter {
  readonly from?: string;
  readonly to?: string;
  readonly route?: string;
  readonly status?: 'ok' | 'error';
  readonly minDurationMs?: number;
  readonly cursor?: string;
}

/** A page of traces, newest first. */
export function listTraces(
  client: ApiClient,
  filter: TraceFilter,
): Promise<{ traces: TraceSummary[]; nextCursor: string | null }> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  return client.json(`/v1/traces?${query}`);
}

/** One trace with its spans. */
export function getTrace(client: ApiClient, id: string): Promise<{ trace: TraceSummary; spans: Span[] }> {
  return client.json(`/v1/traces/${encodeURIComponent(id)}`);
}
