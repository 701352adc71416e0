/**
 * @module support/handback-answers
 * When an operator hands a conversation back, the assistant answers at once what the customer wrote
 * while the person held it (and the person did not answer), instead of waiting for the customer to
 * write again. It listens to the inbox's `escalation-returned` events; a failure is logged, never
 * thrown at the operator whose hand-back already succeeded.
 */
import type { InboxEvents } from '../../src/agents/inbox/events.ts';
import { logger } from '../../src/observability/logger.ts';
import type { ConversationRef } from '../../src/spec/agent-services.ts';

type Events = Pick<InboxEvents, 'subscribe'>;

/** One answerer per inbox: two support services over one app (a bench runs both modes) answer once. */
const ANSWERERS = new WeakMap<Events, HandBackAnswers>();

/** The inbox's answerer, made with `answer` by the first service that asks. */
export function handBackAnswersFor(
  events: Events,
  answer: (ref: ConversationRef) => Promise<unknown>,
): HandBackAnswers {
  let answerer = ANSWERERS.get(events);
  if (!answerer) {
    answerer = new HandBackAnswers(events, answer);
    ANSWERERS.set(events, answerer);
  }
  return answerer;
}

/** Answers hand-backs as they happen; `idle` resolves when every answer started so far is stored. */
export class HandBackAnswers {
  private readonly running = new Set<Promise<void>>();

  constructor(events: Events, answer: (ref: ConversationRef) => Promise<unknown>) {
    events.subscribe((event) => {
      if (event.type !== 'escalation-returned') return;
      const ref = { tenantId: event.tenantId, conversationId: event.conversationId };
      const work = answer(ref)
        .then(() => undefined)
        .catch((error: unknown) => {
          logger.warn(
            { err: error, conversationId: ref.conversationId },
            'Answering after hand-back failed.',
          );
        });
      this.running.add(work);
      void work.finally(() => this.running.delete(work));
    });
  }

  /** Resolves when the answers started so far are done (tests, and a draining server). */
  async idle(): Promise<void> {
    while (this.running.size > 0) await Promise.all([...this.running]);
  }
}
