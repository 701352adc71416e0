/**
 * The transcript as the operator reads it: every message, agents' tool calls folded open on demand,
 * the customer's unanswered messages marked. The log keeps its newest message in view (the reply box
 * sits right under it) unless the operator scrolled up to read.
 */
import { useLayoutEffect, useRef } from 'preact/hooks';
import type { TranscriptMessage } from '../../api/inbox.ts';

const WHO: Record<TranscriptMessage['role'], string> = {
  user: 'Customer',
  assistant: 'Assistant',
  operator: 'Operator',
  system: 'Event',
  tool: 'Tool call',
};

/** Pixels from the bottom within which the log counts as "following" the newest message. */
const FOLLOWING = 48;

/** The messages, oldest first; `me` marks the reader's own replies; `unanswered` holds ordinals. */
export function TranscriptView({
  messages,
  me,
  unanswered = [],
}: {
  messages: readonly TranscriptMessage[];
  me: string;
  unanswered?: readonly number[];
}) {
  const log = useRef<HTMLOListElement>(null);
  const following = useRef(true);
  const waiting = new Set(unanswered);

  useLayoutEffect(() => {
    const element = log.current;
    if (element && following.current) element.scrollTop = element.scrollHeight;
  }, [messages.length]);

  return (
    <ol
      class="transcript-log"
      aria-label="Transcript"
      ref={log}
      onScroll={(event) => {
        const element = event.currentTarget;
        following.current = element.scrollHeight - element.scrollTop - element.clientHeight < FOLLOWING;
      }}
    >
      {messages.map((message) => (
        <li
          key={message.ordinal}
          class={`log-${message.role}${waiting.has(message.ordinal) ? ' log-unanswered' : ''}`}
        >
          <span class="log-who">
            {message.role === 'operator' && message.author === me ? 'You' : WHO[message.role]}
            {waiting.has(message.ordinal) && <span class="tag unanswered-tag">Unanswered</span>}
          </span>
          {message.role === 'tool' ? (
            <details>
              <summary>
                <code>{String(message.details?.toolName ?? message.content)}</code>
              </summary>
              <pre>{JSON.stringify(message.details, null, 2)}</pre>
            </details>
          ) : (
            <p>{message.content}</p>
          )}
        </li>
      ))}
    </ol>
  );
}
