/**
 * The operator inbox: conversations waiting for a person (longest waiting first), then those being
 * handled, kept current by the inbox's event stream; the selected one opens beside the list. A
 * filter shows the handed-back and the closed cases instead (most recent first), which stay viewable.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Escalation, followInbox, listInbox } from '../../api/inbox.ts';
import { Alert } from '../../components/alert.tsx';
import { Link } from '../../components/button.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { EscalationView } from './escalation-view.tsx';
import { customerOf, formatWaiting, TRIGGER_TEXT } from './format.ts';

/** Which cases the list shows. */
type Filter = 'open' | 'returned' | 'closed';

const FILTERS: readonly { value: Filter; label: string; empty: string }[] = [
  { value: 'open', label: 'Open', empty: 'No conversation is waiting for a person.' },
  { value: 'returned', label: 'Handed back', empty: 'No conversation was handed back.' },
  { value: 'closed', label: 'Closed', empty: 'No conversation was closed yet.' },
];

/** The page; `id` selects an escalation. */
export function InboxPage({ id }: { id?: string }) {
  const { client } = useApp();
  const [escalations, setEscalations] = useState<{ rows: readonly Escalation[]; at: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  const [filter, setFilter] = useState<Filter>('open');
  // Bumped when an event concerns the open escalation, so it reloads.
  const [revision, setRevision] = useState(0);
  const openId = useRef(id);
  openId.current = id;

  const reload = useCallback(async () => {
    try {
      const rows =
        filter === 'open'
          ? (await Promise.all([listInbox(client, 'waiting'), listInbox(client, 'claimed')])).flat()
          : await listInbox(client, filter, 'newest');
      setEscalations({ rows, at: Date.now() });
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [client, filter]);

  // The stream stays open across filter changes; it reloads whichever list is shown.
  const reloadShown = useRef(reload);
  reloadShown.current = reload;
  useEffect(() => {
    void reload();
  }, [reload]);

  useEffect(() => {
    // The list does not wait for the stream: a proxy that breaks event streams leaves it static.
    const controller = new AbortController();
    void followInbox(
      client,
      (event) => {
        setLive(true);
        // A new message changes no list; it only concerns the open case.
        if (event?.type !== 'message-created') void reloadShown.current();
        if (!event || event.escalationId === openId.current) setRevision((value) => value + 1);
      },
      controller.signal,
    ).finally(() => setLive(false));
    return () => controller.abort();
  }, [client]);

  // Waiting times tick while the page is open.
  const [, setNow] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 15_000);
    return () => clearInterval(timer);
  }, []);

  return (
    <div class={`inbox ${id ? 'inbox-with-detail' : ''}`}>
      <section class="inbox-list" aria-labelledby="inbox-title">
        <header class="page-header">
          <h1 id="inbox-title">Inbox</h1>
          <span class={`live ${live ? 'live-on' : ''}`}>{live ? 'Live' : 'Connecting…'}</span>
        </header>
        <fieldset class="inbox-filters">
          <legend class="visually-hidden">Show</legend>
          {FILTERS.map((option) => (
            <button
              key={option.value}
              type="button"
              class="filter-button"
              aria-pressed={filter === option.value}
              onClick={() => setFilter(option.value)}
            >
              {option.label}
            </button>
          ))}
        </fieldset>
        {error && <Alert>{error}</Alert>}
        {escalations && escalations.rows.length === 0 && (
          <p class="muted">{FILTERS.find((option) => option.value === filter)!.empty}</p>
        )}
        {escalations && escalations.rows.length > 0 && (
          <ul class="escalations">
            {escalations.rows.map((escalation) => (
              <li key={escalation.id} data-status={escalation.status}>
                <Link
                  href={`/inbox/${escalation.id}`}
                  class="escalation-row"
                  aria-current={escalation.id === id ? 'true' : undefined}
                >
                  <span class="escalation-reason">{escalation.reason}</span>
                  <span class="escalation-meta">
                    <span>{customerOf(escalation)}</span>
                    <span>{TRIGGER_TEXT[escalation.trigger] ?? escalation.trigger}</span>
                    <span>
                      {escalation.status === 'waiting'
                        ? `waiting ${formatWaiting(escalation.waitingSeconds + (Date.now() - escalations.at) / 1000)}`
                        : escalation.status === 'claimed'
                          ? `claimed after ${formatWaiting(escalation.waitingSeconds)}`
                          : escalation.status === 'returned'
                            ? `handed back ${formatTime(escalation.returnedAt ?? escalation.createdAt)}`
                            : `closed ${formatTime(escalation.closedAt ?? escalation.createdAt)}`}
                    </span>
                  </span>
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      {id && <EscalationView key={id} id={id} revision={revision} onChanged={reload} />}
    </div>
  );
}
