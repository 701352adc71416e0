/**
 * The number of cases waiting for a person, beside "Inbox" in the navigation: read from
 * `GET /v1/inbox/summary` and again on every inbox event, so it changes without a reload.
 */
import { useEffect, useState } from 'preact/hooks';
import { followInbox, inboxSummary } from '../../api/inbox.ts';
import { useApp } from '../../context.ts';

/** The badge; nothing while none wait or the count cannot be read. */
export function WaitingCount() {
  const { client } = useApp();
  const [waiting, setWaiting] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    const refresh = () =>
      inboxSummary(client, controller.signal).then(
        (summary) => setWaiting(summary.waiting),
        () => {
          // A count that cannot be read is simply not shown; the inbox page says what failed.
        },
      );
    void refresh();
    void followInbox(
      client,
      (event) => {
        if (event?.type !== 'message-created') void refresh();
      },
      controller.signal,
    );
    return () => controller.abort();
  }, [client]);

  if (waiting === 0) return null;
  return (
    <>
      <span class="nav-count" aria-hidden="true">
        {waiting > 99 ? '99+' : waiting}
      </span>
      <span class="visually-hidden">, {waiting} waiting</span>
    </>
  );
}
