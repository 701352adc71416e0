/**
 * @module agents/inbox/events
 * What happens in the operator inbox, as events the web UI streams (`GET /v1/inbox/events`). They
 * are in-process: an operator connected to another server process sees them on that process's own
 * changes only, so a multi-process deployment needs Postgres LISTEN/NOTIFY here (not built yet).
 */
import { EventEmitter } from 'node:events';

/** Noun–verb names, as the style guide asks of events. */
export type InboxEventType =
  | 'escalation-created'
  | 'escalation-claimed'
  | 'operator-replied'
  | 'escalation-returned'
  | 'escalation-closed'
  | 'message-created';

/** One inbox event; never carries message text, only what changed and where. */
export interface InboxEvent {
  readonly type: InboxEventType;
  readonly tenantId: string;
  readonly escalationId: string;
  readonly conversationId: string;
  /** The operator who acted, when one did. */
  readonly actor?: string;
  /** Who wrote the new message (`message-created`): the customer (`user`), the assistant, a person. */
  readonly role?: 'user' | 'assistant' | 'operator';
  readonly at: string;
}

/** A typed emitter of inbox events. */
export class InboxEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // Every open SSE stream is a listener; the default cap of 10 would warn on a busy inbox.
    this.emitter.setMaxListeners(0);
  }

  /** Tells every listener. A listener that throws does not stop the others or the caller. */
  emit(event: Omit<InboxEvent, 'at'>): void {
    const full: InboxEvent = { ...event, at: new Date().toISOString() };
    for (const listener of this.emitter.listeners('event')) {
      try {
        (listener as (event: InboxEvent) => void)(full);
      } catch {
        // A broken listener (a closed stream) must not undo a committed change.
      }
    }
  }

  /** Subscribes; returns the unsubscribe function. */
  subscribe(listener: (event: InboxEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }
}
