/**
 * One trace as a waterfall: a bar per span, placed by its start and sized by its duration on the
 * trace's time axis, nested under its parent, with tokens and cost where the span has them. A row
 * opens to show the span's attributes. Spans reach the store about a second after they end, so a
 * trace that is not there yet can be asked for again.
 */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/http.ts';
import { getTrace, type TraceDetail } from '../../api/traces.ts';
import { Alert } from '../../components/alert.tsx';
import { Button, Link } from '../../components/button.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { costOf, formatCost, formatMs, tokensOf, traceCost, waterfall } from './span-facts.ts';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

/** The page. */
export function TracePage({ id }: { id: string }) {
  const { client } = useApp();
  const [data, setData] = useState<TraceDetail | null>(null);
  const [error, setError] = useState<{ message: string; missing: boolean } | null>(null);
  const [attempt, setAttempt] = useState(0);
  const [open, setOpen] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    setError(null);
    getTrace(client, id).then(
      (loaded) => {
        if (current) setData(loaded);
      },
      (failure: Error) => {
        const missing = failure instanceof ApiError && failure.code === 'trace_not_found';
        if (current) setError({ message: failure.message, missing });
      },
    );
    return () => {
      current = false;
    };
  }, [client, id, attempt]);

  if (error) {
    return (
      <div>
        <p>
          <Link href="/traces">← Traces</Link>
        </p>
        <Alert>
          {error.missing
            ? 'This trace is not stored (yet: spans arrive about a second after a request).'
            : error.message}
        </Alert>
        <Button onClick={() => setAttempt((value) => value + 1)}>Try again</Button>
      </div>
    );
  }
  if (!data) return <p class="muted">Loading the trace…</p>;
  const { trace } = data;
  const { rows, totalMs } = waterfall(data.spans);
  return (
    <div class="trace">
      <p>
        <Link href="/traces">← Traces</Link>
      </p>
      <h1>
        <code>{trace.route ?? trace.name ?? 'Trace'}</code>
      </h1>
      <dl class="trace-facts">
        <dt>Started</dt>
        <dd>{formatTime(trace.startedAt)}</dd>
        <dt>Latency</dt>
        <dd>{formatMs(trace.durationMs)}</dd>
        <dt>Status</dt>
        <dd>{trace.errorCode ?? trace.status}</dd>
        <dt>Tokens in / out</dt>
        <dd>
          {trace.inputTokens} / {trace.outputTokens}
        </dd>
        <dt>Cost</dt>
        <dd
          title={
            trace.unpricedModelCalls > 0
              ? `${trace.unpricedModelCalls} model calls had no price (set prices in the configuration).`
              : undefined
          }
        >
          {traceCost(trace)}
        </dd>
        <dt>Caller</dt>
        <dd>{trace.principal ?? '—'}</dd>
        <dt>Trace id</dt>
        <dd>
          <code>{trace.traceId}</code>
        </dd>
      </dl>
      <section class="waterfall" aria-label="Spans">
        <div class="waterfall-axis" aria-hidden="true">
          <span />
          <span class="waterfall-ticks">
            {TICKS.map((tick) => (
              <span key={tick} style={{ left: `${tick * 100}%` }}>
                {formatMs(tick * totalMs)}
              </span>
            ))}
          </span>
          <span />
        </div>
        <ol class="waterfall-rows">
          {rows.map(({ span, depth, offsetMs }) => {
            const tokens = tokensOf(span);
            const cost = costOf(span);
            const expanded = open === span.spanId;
            return (
              <li key={span.spanId} class="waterfall-row" data-status={span.status}>
                <button
                  type="button"
                  class="waterfall-line"
                  aria-expanded={expanded}
                  onClick={() => setOpen(expanded ? null : span.spanId)}
                >
                  <span class="span-name" style={{ paddingLeft: `${depth * 1.1}rem` }}>
                    {span.name}
                  </span>
                  <span class="span-track">
                    <span
                      class="span-bar"
                      style={{
                        left: `${(offsetMs / totalMs) * 100}%`,
                        width: `max(2px, ${(span.durationMs / totalMs) * 100}%)`,
                      }}
                    />
                  </span>
                  <span class="span-numbers">
                    {formatMs(span.durationMs)}
                    {tokens && ` · ${tokens.input}→${tokens.output} tok`}
                    {cost !== null && <span class="span-cost"> · {formatCost(cost)}</span>}
                  </span>
                </button>
                {expanded && (
                  <dl class="span-attributes">
                    {Object.entries(span.attributes).map(([name, value]) => (
                      <Fragment key={name}>
                        <dt>{name}</dt>
                        <dd>{typeof value === 'string' ? value : JSON.stringify(value)}</dd>
                      </Fragment>
                    ))}
                  </dl>
                )}
              </li>
            );
          })}
        </ol>
      </section>
    </div>
  );
}
