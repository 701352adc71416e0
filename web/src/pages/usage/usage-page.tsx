/**
 * Usage (admins): cost and tokens over the last day, week or month, charted by model and by tenant
 * (uPlot, loaded with this page only), with totals per model and per tenant. Cost of answers by a
 * model without a price is not known; the page says how many there were.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { UsageReport } from '../../api/usage.ts';
import { Alert } from '../../components/alert.tsx';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { type Bucket, loadUsage, RANGES, type RangeName, sumBy } from './buckets.ts';
import { type ChartSeries, TimeChart } from './time-chart.tsx';

/** Most lines per chart; the rest are summed as "other". */
const MAX_LINES = 6;

/** `0.01234` → `$0.0123`. */
export function formatUsd(value: number): string {
  if (value === 0) return '$0';
  if (Math.abs(value) >= 100) return `$${value.toFixed(0)}`;
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  return `$${value.toPrecision(2)}`;
}

/** `12345` → `12.3k`. */
export function formatCount(value: number): string {
  if (Math.abs(value) >= 1e6) return `${(value / 1e6).toFixed(1)}M`;
  if (Math.abs(value) >= 1e3) return `${(value / 1e3).toFixed(1)}k`;
  return String(Math.round(value));
}

/** One line per group over the buckets, by `key`, the largest `MAX_LINES` and the rest as other. */
function linesBy(
  buckets: readonly Bucket[],
  whole: UsageReport,
  key: 'model' | 'tenant',
  measure: (row: { costUsd: number; inputTokens: number; outputTokens: number }) => number,
): ChartSeries[] {
  const names = sumBy(whole.rows, key).map((row) => row.name);
  const shown = names.slice(0, MAX_LINES);
  const lines = shown.map((name) => ({
    label: name,
    values: buckets.map((bucket) =>
      sumBy(bucket.report.rows, key)
        .filter((row) => row.name === name)
        .reduce((total, row) => total + measure(row), 0),
    ),
  }));
  if (names.length > MAX_LINES) {
    lines.push({
      label: 'other',
      values: buckets.map((bucket) =>
        sumBy(bucket.report.rows, key)
          .filter((row) => !shown.includes(row.name))
          .reduce((total, row) => total + measure(row), 0),
      ),
    });
  }
  return lines;
}

/** The page. */
export function UsagePage() {
  const { client } = useApp();
  const [range, setRange] = useState<RangeName>('week');
  const [data, setData] = useState<{ buckets: Bucket[]; whole: UsageReport } | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setData(null);
    setError(null);
    loadUsage(client, range, controller.signal).then(setData, (failure: Error) => {
      if (!controller.signal.aborted) setError(failure.message);
    });
    return () => controller.abort();
  }, [client, range]);

  const charts = useMemo(() => {
    if (!data) return null;
    const times = data.buckets.map((bucket) => bucket.from.getTime() / 1000);
    return {
      times,
      costByModel: linesBy(data.buckets, data.whole, 'model', (row) => row.costUsd),
      tokensByModel: linesBy(data.buckets, data.whole, 'model', (row) => row.inputTokens + row.outputTokens),
      costByTenant: linesBy(data.buckets, data.whole, 'tenant', (row) => row.costUsd),
    };
  }, [data]);

  return (
    <div class="usage">
      <header class="page-header">
        <h1>Usage</h1>
        <label>
          Range{' '}
          <select value={range} onInput={(event) => setRange(event.currentTarget.value as RangeName)}>
            {Object.entries(RANGES).map(([name, { label }]) => (
              <option key={name} value={name}>
                {label}
              </option>
            ))}
          </select>
        </label>
      </header>
      {error && <Alert>{error}</Alert>}
      {!data && !error && <p class="muted">Loading usage…</p>}
      {data && charts && (
        <>
          <dl class="usage-totals">
            <div>
              <dt>Cost</dt>
              <dd>{formatUsd(data.whole.total.costUsd)}</dd>
            </div>
            <div>
              <dt>Answers</dt>
              <dd>{formatCount(data.whole.total.answers)}</dd>
            </div>
            <div>
              <dt>Input tokens</dt>
              <dd>{formatCount(data.whole.total.inputTokens)}</dd>
            </div>
            <div>
              <dt>Output tokens</dt>
              <dd>{formatCount(data.whole.total.outputTokens)}</dd>
            </div>
          </dl>
          {data.whole.total.unpricedAnswers > 0 && (
            <Alert tone="info">
              {data.whole.total.unpricedAnswers} answers came from models without a price; their cost is not
              counted (set `prices` in the configuration).
            </Alert>
          )}
          <div class="usage-charts">
            <TimeChart
              title="Cost by model"
              times={charts.times}
              series={charts.costByModel}
              format={formatUsd}
            />
            <TimeChart
              title="Tokens by model"
              times={charts.times}
              series={charts.tokensByModel}
              format={formatCount}
            />
            <TimeChart
              title="Cost by tenant"
              times={charts.times}
              series={charts.costByTenant}
              format={formatUsd}
            />
          </div>
          <UsageTable caption="By model" rows={sumBy(data.whole.rows, 'model')} />
          <UsageTable caption="By tenant" rows={sumBy(data.whole.rows, 'tenant')} />
        </>
      )}
    </div>
  );
}

function UsageTable({ caption, rows }: { caption: string; rows: ReturnType<typeof sumBy> }) {
  return (
    <div class="table-scroll">
      <table class="table usage-table">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">Name</th>
            <th scope="col">Answers</th>
            <th scope="col">Input tokens</th>
            <th scope="col">Output tokens</th>
            <th scope="col">Cost</th>
            <th scope="col">Unpriced answers</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.name}>
              <th scope="row">{row.name}</th>
              <td class="numeric">{row.answers}</td>
              <td class="numeric">{row.inputTokens}</td>
              <td class="numeric">{row.outputTokens}</td>
              <td class="numeric">{formatUsd(row.costUsd)}</td>
              <td class="numeric">{row.unpricedAnswers}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
