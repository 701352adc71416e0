/**
 * The operator inbox: conversations waiting for a person (longest waiting first), then those being
 * handled, kept current by the inbox's event stream; the selected one opens beside the list.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type Escalation, followInbox, listInbox } from '../../api/inbox.ts';
import { Alert } from '../../components/alert.tsx';
import { Link } from '../../components/button.tsx';
import { useApp } from '../../context.ts';
import '../../styles/console.css';
import { EscalationView } from './escalation-view.tsx';
import { customerOf, formatWaiting, TRIGGER_TEXT } from './format.ts';

/** The page; `id` selects an escalation. */
export function InboxPage({ id }: { id?: string }) {
  const { client } = useApp();
  const [escalations, setEscalations] = useState<{ rows: Escalation[]; at: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [live, setLive] = useState(false);
  // Bumped when an event concerns the open escalation, so it reloads.
  const [revision, setRevision] = useState(0);
  const openId = useRef(id);
  openId.current = id;

  const reload = useCallback(async () => {
    try {
      const [waiting, claimed] = await Promise.all([
        listInbox(client, 'waiting'),
        listInbox(client, 'claimed'),
      ]);
      setEscalations({ rows: [...waiting, ...claimed], at: Date.now() });
      setError(null);
    } catch (failure) {
      setError((failure as Error).message);
    }
  }, [client]);

  useEffect(() => {
    // The list does not wait for the stream: a proxy that breaks event streams leaves it static.
    void reload();
    const controller = new AbortController();
    void followInbox(
      client,
      (event) => {
        setLive(true);
        void reload();
        if (!event || event.escalationId === openId.current) setRevision((value) => value + 1);
      },
      controller.signal,
    ).finally(() => setLive(false));
    return () => controller.abort();
  }, [client, reload]);

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
        {error && <Alert>{error}</Alert>}
        {escalations && escalations.rows.length === 0 && (
          <p class="muted">No conversation is waiting for a person.</p>
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
                        : `claimed after ${formatWaiting(escalation.waitingSeconds)}`}
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
