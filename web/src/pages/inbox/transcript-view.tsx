/** The transcript as the operator reads it: every message, agents' tool calls folded open on demand. */
import type { TranscriptMessage } from '../../api/inbox.ts';

const WHO: Record<TranscriptMessage['role'], string> = {
  user: 'Customer',
  assistant: 'Assistant',
  operator: 'Operator',
  system: 'Event',
  tool: 'Tool call',
};

/** The messages, oldest first; `me` marks the reader's own replies. */
export function TranscriptView({ messages, me }: { messages: readonly TranscriptMessage[]; me: string }) {
  return (
    <ol class="transcript-log" aria-label="Transcript">
      {messages.map((message) => (
        <li key={message.ordinal} class={`log-${message.role}`}>
          <span class="log-who">
            {message.role === 'operator' && message.author === me ? 'You' : WHO[message.role]}
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
