/**
 * A support reply: who answered (the agents and their route, the no-LLM policy, or a person), the
 * text with its cited sources, and, when a request waits for a person's approval, where it stands.
 */
import { Button } from '../../components/button.tsx';
import type { SupportAnswerMessage } from './messages.ts';

/** What each mode is called in the chat. */
export function supportModeText(message: Pick<SupportAnswerMessage, 'mode' | 'route'>): string {
  switch (message.mode) {
    case 'agents':
      return `Agents · ${(message.route ?? []).join(' → ') || 'assistant'}`;
    case 'routed':
      return 'Automatic answer (routed)';
    case 'human':
      return 'Passed to a person';
    default:
      return 'Assistant';
  }
}

/** The reply bubble. */
export function SupportAnswerView({
  message,
  onRetry,
}: {
  message: SupportAnswerMessage;
  onRetry: () => void;
}) {
  const busy = message.status === 'sending';
  return (
    <article
      class="message message-assistant message-support"
      aria-busy={busy}
      data-status={message.status}
      data-mode={message.mode ?? 'follow-up'}
    >
      {message.status === 'done' && (
        <span class={`mode-label mode-${message.mode ?? 'follow-up'}`}>{supportModeText(message)}</span>
      )}
      {busy && <p class="message-status">Sending to support…</p>}
      {message.text && (
        <div class="answer-text">
          {message.text.split('\n\n').map((paragraph, index) => (
            <p key={index}>
              {paragraph.split(/(\[\d+\])/).map((part, at) => {
                const n = /^\[(\d+)\]$/.exec(part)?.[1];
                return n && message.citations.some((citation) => citation.n === Number(n)) ? (
                  <sup key={at} class="cite-ref" title={`Source ${n}`}>
                    {n}
                  </sup>
                ) : (
                  part
                );
              })}
            </p>
          ))}
        </div>
      )}
      {message.citations.length > 0 && (
        <ul class="citation-chips" aria-label="Sources">
          {message.citations.map((citation) => (
            <li key={citation.n} class="chip chip-static">
              <span class="chip-number">{citation.n}</span>
              <span class="chip-title">{citation.title ?? citation.source}</span>
              {citation.page !== null && <span class="chip-page">p. {citation.page}</span>}
            </li>
          ))}
        </ul>
      )}
      {message.approval && (
        <p class={`approval-state approval-${message.approval.state}`} role="status">
          {message.approval.state === 'pending'
            ? `Waiting for approval: a person needs to approve ${message.approval.what}. The outcome will appear here.`
            : `A person has decided on ${message.approval.what}; see below.`}
        </p>
      )}
      {message.status === 'error' && (
        <p class="message-error">
          {message.error}{' '}
          {message.question !== null && (
            <Button variant="secondary" onClick={onRetry}>
              Ask again
            </Button>
          )}
        </p>
      )}
    </article>
  );
}
