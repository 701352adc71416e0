/**
 * One escalation: why, the agents' notes, the customer, the transcript with the agents' tool calls,
 * and what the operator can do. The reply box sits under the newest message, and what the customer
 * wrote that nobody answered yet is marked. A claim lost to another operator (409 `already_claimed`)
 * says so plainly and shows who holds it now; a handed-back case can be taken again or closed.
 */
import { Fragment } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError } from '../../api/http.ts';
import { actOn, type EscalationTranscript, getEscalation, replyTo } from '../../api/inbox.ts';
import { Alert } from '../../components/alert.tsx';
import { Button } from '../../components/button.tsx';
import { TextArea, TextField } from '../../components/field.tsx';
import { formatTime } from '../../components/format.ts';
import { useApp } from '../../context.ts';
import { customerOf, formatWaiting, TRIGGER_TEXT } from './format.ts';
import { LockoutPanel } from './lockout-panel.tsx';
import { TranscriptView } from './transcript-view.tsx';

/** The detail panel; reloads when `revision` changes (an inbox event about it). */
export function EscalationView({
  id,
  revision,
  onChanged,
}: {
  id: string;
  revision: number;
  onChanged: () => void;
}) {
  const { client, me } = useApp();
  const [data, setData] = useState<EscalationTranscript | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<{ tone: 'error' | 'success'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [reply, setReply] = useState('');
  const [resolution, setResolution] = useState('');
  const [local, setLocal] = useState(0);

  useEffect(() => {
    let current = true;
    getEscalation(client, id).then(
      (loaded) => {
        if (!current) return;
        setData(loaded);
        setError(null);
      },
      (failure: Error) => {
        if (current) setError(failure.message);
      },
    );
    return () => {
      current = false;
    };
  }, [client, id, revision, local]);

  if (error) return <Alert>{error}</Alert>;
  if (!data) return <p class="muted">Loading the conversation…</p>;
  const { escalation } = data;
  const actor = me.keyId ?? 'anonymous';
  const mine = escalation.status === 'claimed' && escalation.claimedBy === actor;

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setNotice(null);
    try {
      await work();
      setNotice({ tone: 'success', text: done });
    } catch (failure) {
      const lost = failure instanceof ApiError && failure.code === 'already_claimed';
      setNotice({
        tone: 'error',
        text: lost
          ? 'Another operator claimed this conversation first; they are handling it now.'
          : (failure as Error).message,
      });
    } finally {
      setBusy(false);
      setLocal((value) => value + 1);
      onChanged();
    }
  };

  return (
    <section class="escalation" aria-labelledby="escalation-title" data-status={escalation.status}>
      <header class="escalation-header">
        <h2 id="escalation-title">{escalation.reason}</h2>
        <p class="muted">
          {customerOf(escalation)} · {TRIGGER_TEXT[escalation.trigger] ?? escalation.trigger} · escalated{' '}
          {formatTime(escalation.createdAt)} · waited {formatWaiting(escalation.waitingSeconds)}
        </p>
        <p class={`holder holder-${mine ? 'me' : escalation.status}`}>
          {mine
            ? 'You are handling this conversation.'
            : escalation.status === 'claimed'
              ? `Handled by another operator (key ${escalation.claimedBy}).`
              : escalation.status === 'waiting'
                ? 'Waiting for a person.'
                : escalation.status === 'returned'
                  ? 'Handed back to the assistant.'
                  : 'Closed.'}
        </p>
      </header>
      {notice && <Alert tone={notice.tone}>{notice.text}</Alert>}
      <div class="escalation-actions">
        {escalation.status === 'waiting' && (
          <Button
            variant="primary"
            disabled={busy}
            onClick={() => void run(() => actOn(client, id, 'claim'), 'You claimed this conversation.')}
          >
            Claim
          </Button>
        )}
        {escalation.status === 'returned' && (
          <Button
            variant="primary"
            disabled={busy}
            onClick={() =>
              void run(() => actOn(client, id, 'claim'), 'You took this conversation over again.')
            }
          >
            Take over again
          </Button>
        )}
        {mine && (
          <Button
            disabled={busy}
            onClick={() => void run(() => actOn(client, id, 'handback'), 'Handed back to the assistant.')}
          >
            Hand back to the assistant
          </Button>
        )}
      </div>
      {(mine || escalation.status === 'waiting' || escalation.status === 'returned') && (
        <form
          class="close-form"
          onSubmit={(event) => {
            event.preventDefault();
            const text = resolution.trim();
            void run(
              () => actOn(client, id, 'close', text ? { resolution: text } : undefined),
              'The conversation is closed.',
            );
          }}
        >
          {escalation.customerId && (
            <TextField
              label="Resolution (optional, remembered for this customer)"
              value={resolution}
              maxLength={2000}
              onInput={(event) => setResolution(event.currentTarget.value)}
            />
          )}
          <Button type="submit" variant="danger" disabled={busy}>
            Close
          </Button>
        </form>
      )}
      <div class="escalation-body">
        <div class="escalation-conversation">
          <TranscriptView messages={data.messages} me={actor} unanswered={data.unanswered} />
          {mine && (
            <form
              class="reply-form"
              onSubmit={(event) => {
                event.preventDefault();
                const text = reply.trim();
                if (!text) return;
                void run(async () => {
                  await replyTo(client, id, text);
                  setReply('');
                }, 'Reply sent.');
              }}
            >
              <TextArea
                label="Reply to the customer as a person"
                rows={3}
                maxLength={8000}
                value={reply}
                onInput={(event) => setReply(event.currentTarget.value)}
              />
              <Button type="submit" variant="primary" disabled={busy || !reply.trim()}>
                Send reply
              </Button>
            </form>
          )}
        </div>
        <aside class="escalation-side" aria-label="Notes and customer">
          <h3>Agents’ notes</h3>
          {escalation.notes.length === 0 ? (
            <p class="muted">None.</p>
          ) : (
            <ul class="notes">
              {escalation.notes.map((note, index) => (
                <li key={index}>
                  <strong>{note.agent}</strong>: {note.text}
                </li>
              ))}
            </ul>
          )}
          <LockoutPanel
            conversationId={escalation.conversationId}
            customerId={escalation.customerId}
            revision={revision + local}
          />
          <h3>Customer</h3>
          <dl class="context">
            {Object.entries(escalation.customerContext).map(([name, value]) => (
              <Fragment key={name}>
                <dt>{name}</dt>
                <dd>{describe(value)}</dd>
              </Fragment>
            ))}
          </dl>
          {data.customerMemories.length > 0 && (
            <>
              <h3>Remembered</h3>
              <ul class="notes">
                {data.customerMemories.map((memory, index) => (
                  <li key={index}>
                    <span class="tag">{memory.kind}</span> {memory.text}
                    {memory.resolution && <> → {memory.resolution}</>}
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </div>
    </section>
  );
}

/** A context value in words: objects as `name: value` pairs. */
function describe(value: unknown): string {
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    return Object.entries(value)
      .map(([name, inner]) => `${name}: ${typeof inner === 'string' ? inner : JSON.stringify(inner)}`)
      .join(', ');
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}
