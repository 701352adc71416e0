/** Traces (operators and admins): search and one trace as a span tree. */
import type { ApiClient } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';

/** A page of traces, newest first. */
export type TracePage = ApiResponse<'get /v1/traces'>;

/**
 * A trace as the list shows it; `costUsd` sums the model calls' cost, a lower bound when
 * `unpricedModelCalls` is above 0.
 */
export type TraceSummary = TracePage['traces'][number];

/** One trace with its spans. */
export type TraceDetail = Omit<ApiResponse<'get /v1/traces/{id}'>, 'spans'> & {
  readonly spans: readonly Span[];
};

type SpanNode = ApiResponse<'get /v1/traces/{id}'>['spans'][number];

/**
 * One span with its children (the generated type leaves a recursive schema's inner occurrence
 * open, so the tree is closed here). `costUsd`: a model call's cost; null for other spans.
 */
export type Span = Omit<SpanNode, 'children'> & { readonly children: readonly Span[] };

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
export function listTraces(client: ApiClient, filter: TraceFilter): Promise<TracePage> {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') query.set(name, String(value));
  }
  return client.json(`/v1/traces?${query}`);
}

/** One trace with its spans. */
export function getTrace(client: ApiClient, id: string): Promise<TraceDetail> {
  return client.json(`/v1/traces/${encodeURIComponent(id)}`);
}
