/**
 * @module agents/runner/event-stream
 * Turns the runner's event callback into an async iterable for callers that prefer `for await` (an
 * SSE route). Events are buffered, so a slow reader never slows the run.
 */
import type { AgentEvent } from './events.ts';

/** A push side for the runner and a pull side for the reader. */
export function createEventStream(): {
  push(event: AgentEvent): void;
  close(): void;
  events: AsyncIterable<AgentEvent>;
} {
  const buffer: AgentEvent[] = [];
  let closed = false;
  let wake: (() => void) | undefined;
  const notify = () => {
    wake?.();
    wake = undefined;
  };
  return {
    push(event) {
      buffer.push(event);
      notify();
    },
    close() {
      closed = true;
      notify();
    },
    events: {
      async *[Symbol.asyncIterator]() {
        for (;;) {
          const event = buffer.shift();
          if (event) yield event;
          else if (closed) return;
          else await new Promise<void>((resolve) => (wake = resolve));
        }
      },
    },
  };
}
