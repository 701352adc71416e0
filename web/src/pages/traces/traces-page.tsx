/**
 * Trace search: time range, route, status and least latency, newest first, a page at a time. The
 * filters and results outlive the page, so opening a trace and coming back keeps the search.
 */
import { useEffect, useState } from 'preact/hooks';
import { listTraces, type TraceFilter, type TraceSummary } from '../../api/traces.ts';
import { Alert } from '../../components/alert.tsx';
import { Button, Link } from '../../components/button.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { formatMs, traceCost } from './span-facts.ts';

/** The form's fields, as typed. */
interface Form {
  from: string;
  to: string;
  route: string;
  status: '' | 'ok' | 'error';
  minDurationMs: string;
}

const ROUTES = ['/v1/chat', '/v1/ask', '/v1/chat/completions', '/v1/search', '/v1/documents', '/v1/ingest'];

const kept: { form: Form; traces: readonly TraceSummary[] | null; nextCursor: string | null } = {
  form: { from: '', to: '', route: '', status: '', minDurationMs: '' },
  traces: null,
  nextCursor: null,
};

/** `datetime-local` text (local time) as ISO 8601, or undefined when empty. */
function iso(local: string): string | undefined {
  if (!local) return undefined;
  const date = new Date(local);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

function filterOf(form: Form): TraceFilter {
  return {
    from: iso(form.from),
    to: iso(form.to),
    route: form.route.trim() || undefined,
    status: form.status || undefined,
    minDurationMs: form.minDurationMs ? Number(form.minDurationMs) : undefined,
  };
}

/** The page. */
export function TracesPage() {
  const { client } = useApp();
  const [form, setForm] = useState<Form>(kept.form);
  const [traces, setTraces] = useState(kept.traces);
  const [nextCursor, setNextCursor] = useState(kept.nextCursor);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const search = async (more: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const cursor = more ? (nextCursor ?? undefined) : undefined;
      const page = await listTraces(client, { ...filterOf(form), cursor });
      const rows = more ? [...(traces ?? []), ...page.traces] : page.traces;
      Object.assign(kept, { form, traces: rows, nextCursor: page.nextCursor });
      setTraces(rows);
      setNextCursor(page.nextCursor);
    } catch (failure) {
      setError((failure as Error).message);
    } finally {
      setBusy(false);
    }
  };

  // The first visit shows the latest traces at once.
  useEffect(() => {
    if (!kept.traces) void search(false);
  }, []);

  const field = (name: keyof Form) => ({
    value: form[name],
    onInput: (event: { currentTarget: { value: string } }) =>
      setForm((current) => ({ ...current, [name]: event.currentTarget.value })),
  });

  return (
    <div class="traces">
      <h1>Traces</h1>
      <form
        class="trace-search card"
        onSubmit={(event) => {
          event.preventDefault();
          void search(false);
        }}
      >
        <label>
          From
          <input type="datetime-local" {...field('from')} />
        </label>
        <label>
          To
          <input type="datetime-local" {...field('to')} />
        </label>
        <label>
          Route
          <input list="trace-routes" placeholder="any" {...field('route')} />
          <datalist id="trace-routes">
            {ROUTES.map((route) => (
              <option key={route} value={route} />
            ))}
          </datalist>
        </label>
        <label>
          Status
          <select {...field('status')}>
            <option value="">any</option>
            <option value="ok">ok</option>
            <option value="error">error</option>
          </select>
        </label>
        <label>
          Min latency (ms)
          <input type="number" min={0} step={1} inputMode="numeric" {...field('minDurationMs')} />
        </label>
        <Button type="submit" variant="primary" disabled={busy}>
          Search
        </Button>
      </form>
      {error && <Alert>{error}</Alert>}
      {traces && traces.length === 0 && <p class="muted">No trace matches.</p>}
      {traces && traces.length > 0 && (
        <div class="table-scroll">
          <table class="table trace-list">
            <thead>
              <tr>
                <th scope="col">Started</th>
                <th scope="col">Route</th>
                <th scope="col">Status</th>
                <th scope="col">Latency</th>
                <th scope="col">Tokens in / out</th>
                <th scope="col">Cost</th>
                <th scope="col">Caller</th>
              </tr>
            </thead>
            <tbody>
              {traces.map((trace) => (
                <tr key={trace.traceId} data-status={trace.status}>
                  <td>
                    <Link href={`/traces/${trace.traceId}`} title={`Trace ${trace.traceId}`}>
                      {formatTime(trace.startedAt)}
                    </Link>
                  </td>
                  <td>
                    <code>{trace.route ?? trace.name ?? '—'}</code>
                  </td>
                  <td>
                    <span class={`status ${trace.status === 'error' ? 'status-failed' : 'status-done'}`}>
                      {trace.errorCode ?? trace.status}
                    </span>
                  </td>
                  <td class="numeric">{formatMs(trace.durationMs)}</td>
                  <td class="numeric">
                    {trace.inputTokens} / {trace.outputTokens}
                  </td>
                  <td class="numeric">{traceCost(trace)}</td>
                  <td class="truncate">{trace.principal ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && (
        <Button disabled={busy} onClick={() => void search(true)}>
          Older traces
        </Button>
      )}
    </div>
  );
}
