/**
 * @module store/traces
 * Writes spans in batches and reads traces back, always within one tenant. A trace row is built up
 * from its spans as they arrive (children usually end, and are flushed, before their root): token
 * totals add up, the root span fills in the name, route, caller, status and duration.
 */
import type { Database, SqlExecutor } from './database.ts';
import { SqlParams } from './sql.ts';

/** One span as stored. Times are epoch milliseconds. */
export interface SpanRow {
  readonly tenantId: string;
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: string;
  readonly status: 'ok' | 'error' | 'unset';
  readonly startedAt: number;
  readonly durationMs: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: readonly unknown[];
}

/** What a batch contributes to one trace row; `root` only when the batch holds the root span. */
export interface TraceDelta {
  readonly tenantId: string;
  readonly traceId: string;
  readonly startedAt: number;
  readonly inputTokens: number;
  readonly outputTokens: number;
  readonly root?: {
    readonly name: string;
    readonly route: string | null;
    readonly principal: string | null;
    readonly status: 'ok' | 'error';
    readonly errorCode: string | null;
    readonly durationMs: number;
  };
}

/** A trace as lists show it. */
export interface TraceRow {
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
  /** Sum of the model calls' `groundwork.cost.usd` (priced as each call ended). */
  readonly costUsd: number;
  /** Model calls without a price: `costUsd` is a lower bound when this is above 0. */
  readonly unpricedModelCalls: number;
}

/** Filters of `listTraces`; times are epoch milliseconds. */
export interface TraceFilter {
  readonly from?: number;
  readonly to?: number;
  readonly route?: string;
  readonly principal?: string;
  readonly status?: 'ok' | 'error';
  readonly minDurationMs?: number;
  readonly maxDurationMs?: number;
  /** Keyset position: traces strictly older than this one. */
  readonly after?: { readonly startedAt: number; readonly traceId: string };
  readonly limit: number;
}

/** Writes spans and their trace rows in one transaction; a span written twice is kept once. */
export async function writeSpans(
  db: Database,
  spans: readonly SpanRow[],
  traces: readonly TraceDelta[],
): Promise<void> {
  if (spans.length === 0) return;
  await db.transaction(async (tx) => {
    await insertSpans(tx, spans);
    await upsertTraces(tx, traces);
  });
}

/**
 * All spans of a batch as one JSON parameter, unpacked by `jsonb_to_recordset`: one parameter instead
 * of eleven per span is a third less CPU per batch on PGlite, whose protocol encoding runs on the
 * event loop (bench/tracing-overhead.ts).
 */
async function insertSpans(tx: SqlExecutor, spans: readonly SpanRow[]): Promise<void> {
  const records = spans.map((span) => ({
    tenant_id: span.tenantId,
    trace_id: span.traceId,
    span_id: span.spanId,
    parent_span_id: span.parentSpanId,
    name: span.name,
    kind: span.kind,
    status: span.status,
    started_at: span.startedAt,
    duration_ms: span.durationMs,
    attributes: span.attributes,
    events: span.events,
  }));
  await tx.query(
    `INSERT INTO trace_spans (tenant_id, trace_id, span_id, parent_span_id, name, kind, status, started_at,
       duration_ms, attributes, events)
     SELECT r.tenant_id, r.trace_id, r.span_id, r.parent_span_id, r.name, r.kind, r.status,
       to_timestamp(r.started_at / 1000), r.duration_ms, r.attributes, r.events
     FROM jsonb_to_recordset($1::jsonb) AS r(tenant_id text, trace_id text, span_id text,
       parent_span_id text, name text, kind text, status text, started_at float8, duration_ms float8,
       attributes jsonb, events jsonb)
     ON CONFLICT DO NOTHING`,
    [JSON.stringify(records)],
  );
}

/** One statement for all traces of a batch (`toRows` gives each trace once, as ON CONFLICT needs). */
async function upsertTraces(tx: SqlExecutor, traces: readonly TraceDelta[]): Promise<void> {
  if (traces.length === 0) return;
  const params = new SqlParams();
  const rows = traces.map((trace) => {
    const root = trace.root;
    const values = [
      trace.tenantId,
      trace.traceId,
      root?.name ?? null,
      root?.route ?? null,
      root?.principal ?? null,
      root?.status ?? 'ok',
      root?.errorCode ?? null,
    ].map((value) => params.add(value));
    return `(${values.join(', ')}, to_timestamp(${params.add(trace.startedAt)}::float8 / 1000),
      ${params.add(root?.durationMs ?? 0)}::float8, ${params.add(trace.inputTokens)}::int, ${params.add(trace.outputTokens)}::int)`;
  });
  // Only the root span sets the status, so an error a child recovered from does not mark the trace.
  await tx.query(
    `INSERT INTO traces (tenant_id, trace_id, name, route, principal, status, error_code, started_at,
       duration_ms, input_tokens, output_tokens)
     VALUES ${rows.join(', ')}
     ON CONFLICT (tenant_id, trace_id) DO UPDATE SET
       name = COALESCE(EXCLUDED.name, traces.name),
       route = COALESCE(EXCLUDED.route, traces.route),
       principal = COALESCE(EXCLUDED.principal, traces.principal),
       status = CASE WHEN EXCLUDED.status = 'error' OR traces.status = 'error' THEN 'error' ELSE 'ok' END,
       error_code = COALESCE(EXCLUDED.error_code, traces.error_code),
       started_at = LEAST(EXCLUDED.started_at, traces.started_at),
       duration_ms = GREATEST(EXCLUDED.duration_ms, traces.duration_ms),
       input_tokens = traces.input_tokens + EXCLUDED.input_tokens,
       output_tokens = traces.output_tokens + EXCLUDED.output_tokens`,
    params.values,
  );
}

const TRACE_COLUMNS = `trace_id AS "traceId", name, route, principal, status, error_code AS "errorCode",
  (extract(epoch FROM started_at) * 1000)::float8 AS "startedAtMs", duration_ms AS "durationMs",
  input_tokens AS "inputTokens", output_tokens AS "outputTokens"`;

/**
 * A trace's cost, summed over its spans at read time (a trace row is written before its spans are all
 * in, and a cost column would need a migration for what one indexed lookup per trace gives). The
 * query it joins must have the tenant as `$1` and its trace as `t`.
 */
const COST_OF_TRACE = `LEFT JOIN LATERAL (
  SELECT coalesce(sum((s.attributes->>'groundwork.cost.usd')::float8), 0)::float8 AS "costUsd",
    (count(*) FILTER (WHERE s.attributes->'gen_ai.operation.name' IS NOT NULL
      AND s.attributes->'groundwork.cost.usd' IS NULL))::int AS "unpricedModelCalls"
  FROM trace_spans s WHERE s.tenant_id = $1 AND s.trace_id = t."traceId") cost ON true`;

type RawTrace = Omit<TraceRow, 'startedAt'> & { startedAtMs: number };

/** A tenant's traces, newest first, filtered. */
export async function listTraces(
  db: SqlExecutor,
  tenantId: string,
  filter: TraceFilter,
): Promise<TraceRow[]> {
  const params = new SqlParams();
  const where = [`tenant_id = ${params.add(tenantId)}`];
  if (filter.from !== undefined)
    where.push(`started_at >= to_timestamp(${params.add(filter.from)}::float8 / 1000)`);
  if (filter.to !== undefined)
    where.push(`started_at <= to_timestamp(${params.add(filter.to)}::float8 / 1000)`);
  if (filter.route !== undefined) where.push(`route = ${params.add(filter.route)}`);
  if (filter.principal !== undefined) where.push(`principal = ${params.add(filter.principal)}`);
  if (filter.status !== undefined) where.push(`status = ${params.add(filter.status)}`);
  if (filter.minDurationMs !== undefined) where.push(`duration_ms >= ${params.add(filter.minDurationMs)}`);
  if (filter.maxDurationMs !== undefined) where.push(`duration_ms <= ${params.add(filter.maxDurationMs)}`);
  if (filter.after) {
    where.push(
      `(started_at, trace_id) < (to_timestamp(${params.add(filter.after.startedAt)}::float8 / 1000), ${params.add(filter.after.traceId)})`,
    );
  }
  // The page is chosen first, so costs are summed for its traces only.
  const { rows } = await db.query<RawTrace>(
    `SELECT t.*, cost.* FROM (
       SELECT ${TRACE_COLUMNS} FROM traces WHERE ${where.join(' AND ')}
       ORDER BY started_at DESC, trace_id DESC LIMIT ${params.add(filter.limit)}
     ) t ${COST_OF_TRACE}
     ORDER BY t."startedAtMs" DESC, t."traceId" DESC`,
    params.values,
  );
  return rows.map(toTraceRow);
}

/** One trace of a tenant with its spans in start order, or undefined (also for another tenant's id). */
export async function getTrace(
  db: SqlExecutor,
  tenantId: string,
  traceId: string,
): Promise<{ trace: TraceRow; spans: SpanRow[] } | undefined> {
  const { rows } = await db.query<RawTrace>(
    `SELECT t.*, cost.* FROM (SELECT ${TRACE_COLUMNS} FROM traces
       WHERE tenant_id = $1 AND trace_id = $2) t ${COST_OF_TRACE}`,
    [tenantId, traceId],
  );
  const trace = rows[0];
  if (!trace) return undefined;
  const spans = await db.query<SpanRow & { startedAt: number }>(
    `SELECT tenant_id AS "tenantId", trace_id AS "traceId", span_id AS "spanId",
       parent_span_id AS "parentSpanId", name, kind, status,
       (extract(epoch FROM started_at) * 1000)::float8 AS "startedAt", duration_ms AS "durationMs",
       attributes, events
     FROM trace_spans WHERE tenant_id = $1 AND trace_id = $2 ORDER BY started_at, span_id`,
    [tenantId, traceId],
  );
  return { trace: toTraceRow(trace), spans: spans.rows };
}

/** Deletes traces and spans that started before `cutoff` (epoch ms); returns the traces deleted. */
export async function deleteTracesBefore(db: Database, cutoff: number): Promise<number> {
  return db.transaction(async (tx) => {
    const at = 'to_timestamp($1::float8 / 1000)';
    const deleted = await tx.query(`DELETE FROM traces WHERE started_at < ${at}`, [cutoff]);
    await tx.query(`DELETE FROM trace_spans WHERE started_at < ${at}`, [cutoff]);
    return deleted.affectedRows ?? 0;
  });
}

function toTraceRow({ startedAtMs, ...row }: RawTrace): TraceRow {
  // Rounded: the float round trip through Postgres can land a hair below the stored millisecond.
  return { ...row, startedAt: new Date(Math.round(startedAtMs)).toISOString() };
}
