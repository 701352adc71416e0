/**
 * @module store/migrations/004-traces
 * Traces of requests and jobs, kept in our own store so operators can read them without a tracing
 * backend. `traces` has one row per trace (the root span's facts plus token totals, for lists and
 * filters); `trace_spans` has every span of it. Both are keyed by tenant first: a trace id is
 * random, but a row must never be reachable from another tenant.
 */

/** No foreign key to tenants: spans are written in batches, off the request path, and must not fail on it. */
export const MIGRATION_004 = `
CREATE TABLE traces (
  tenant_id      text NOT NULL,
  trace_id       text NOT NULL,
  name           text,
  route          text,
  principal      text,
  status         text NOT NULL DEFAULT 'ok' CHECK (status IN ('ok', 'error')),
  error_code     text,
  started_at     timestamptz NOT NULL,
  duration_ms    double precision NOT NULL DEFAULT 0,
  input_tokens   integer NOT NULL DEFAULT 0,
  output_tokens  integer NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, trace_id)
);
CREATE INDEX traces_tenant_started ON traces (tenant_id, started_at DESC, trace_id DESC);
CREATE INDEX traces_started ON traces (started_at);

CREATE TABLE trace_spans (
  tenant_id       text NOT NULL,
  trace_id        text NOT NULL,
  span_id         text NOT NULL,
  parent_span_id  text,
  name            text NOT NULL,
  kind            text NOT NULL,
  status          text NOT NULL CHECK (status IN ('ok', 'error', 'unset')),
  started_at      timestamptz NOT NULL,
  duration_ms     double precision NOT NULL,
  attributes      jsonb NOT NULL DEFAULT '{}',
  events          jsonb NOT NULL DEFAULT '[]',
  PRIMARY KEY (tenant_id, trace_id, span_id)
);
CREATE INDEX trace_spans_started ON trace_spans (started_at);
`;
