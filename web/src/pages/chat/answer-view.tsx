/** One answer: its text with inline citation markers, numbered citation chips, mode and feedback. */
import type { Citation } from '../../api/answers.ts';
import { Button } from '../../components/button.tsx';
import { useApp } from '../../context.ts';
import { FeedbackButtons } from './feedback-buttons.tsx';
import type { AssistantMessage } from './messages.ts';

const STATUS_TEXT: Partial<Record<AssistantMessage['status'], string>> = {
  searching: 'Searching the knowledge base…',
  retrying: 'Connection lost; asking again…',
};

const MODE_TEXT = {
  generative: 'Generated answer',
  extractive: 'Quoted passages (extractive)',
  human: 'Answered by a person',
} as const;

/** The answer bubble. */
export function AnswerView({
  message,
  onOpenCitation,
  onRetry,
}: {
  message: AssistantMessage;
  onOpenCitation: (citation: Citation) => void;
  onRetry: () => void;
}) {
  const { capabilities } = useApp();
  const busy =
    message.status === 'searching' || message.status === 'writing' || message.status === 'retrying';
  return (
    <article class="message message-assistant" aria-busy={busy} data-status={message.status}>
      {message.mode && <span class={`mode-label mode-${message.mode}`}>{MODE_TEXT[message.mode]}</span>}
      {STATUS_TEXT[message.status] && <p class="message-status">{STATUS_TEXT[message.status]}</p>}
      <div class="answer-text">
        <AnswerText text={message.text} citations={message.citations} onOpen={onOpenCitation} />
        {message.status === 'writing' && <span class="cursor" aria-hidden="true" />}
      </div>
      {message.citations.length > 0 && (
        <ul class="citation-chips" aria-label="Sources">
          {message.citations.map((citation) => (
            <li key={citation.n}>
              <button
                type="button"
                class="chip"
                onClick={() => onOpenCitation(citation)}
                aria-label={`Source ${citation.n}: ${citation.title ?? citation.source}`}
              >
                <span class="chip-number">{citation.n}</span>
                <span class="chip-title">{citation.title ?? citation.source}</span>
                {citation.page !== null && <span class="chip-page">p. {citation.page}</span>}
              </button>
            </li>
          ))}
        </ul>
      )}
      {message.status === 'error' && <p class="message-error">{message.error}</p>}
      {message.status === 'interrupted' && (
        <p class="message-error">
          The connection dropped before the answer was complete.{' '}
          <Button variant="secondary" onClick={onRetry}>
            Ask again
          </Button>
        </p>
      )}
      {message.status === 'done' && message.traceId && capabilities.feedback && (
        <FeedbackButtons traceId={message.traceId} />
      )}
    </article>
  );
}

/** The text, with `[n]` markers turned into buttons that open citation n. */
function AnswerText({
  text,
  citations,
  onOpen,
}: {
  text: string;
  citations: readonly Citation[];
  onOpen: (citation: Citation) => void;
}) {
  const parts = text.split(/(\[\d+\])/);
  return (
    <p>
      {parts.map((part, index) => {
        const n = /^\[(\d+)\]$/.exec(part)?.[1];
        const citation = n ? citations.find((candidate) => candidate.n === Number(n)) : undefined;
        if (!citation) return part;
        return (
          <button
            key={index}
            type="button"
            class="cite-ref"
            onClick={() => onOpen(citation)}
            aria-label={`Source ${citation.n}`}
          >
            {citation.n}
          </button>
        );
      })}
    </p>
  );
}
