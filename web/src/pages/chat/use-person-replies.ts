/**
 * A person's replies in the customer's chat. Once the conversation exists, the page polls
 * `GET /v1/conversations/:id/messages?after=<last ordinal>` (often while a person holds it, seldom
 * otherwise, not while the tab is hidden) and passes on operator replies and event lines; the
 * questions and answers it also returns are on the page already, from the answer stream. In the
 * support chat the assistant's messages are passed on too (what follows an approval arrives only
 * this way); the page skips its own turns' replies by ordinal (own-replies.ts).
 */
import { useEffect, useState } from 'preact/hooks';
import { conversationMessages } from '../../api/conversations.ts';
import type { ApiClient } from '../../api/http.ts';

/** Milliseconds between polls while a person holds the conversation, and otherwise. */
export const POLL_WITH_PERSON_MS = 1500;
export const POLL_IDLE_MS = 4000;

/** The last ordinal seen per conversation, kept across visits to other pages. */
const seen = new Map<string, number>();

/** Forgets what was seen (sign-out, new conversation). */
export function forgetSeenMessages(): void {
  seen.clear();
}

/** One message passed on by the poll. */
export interface PolledMessage {
  readonly ordinal: number;
  readonly role: 'operator' | 'system' | 'assistant';
  readonly content: string;
}

/** New messages of one poll. */
export interface PersonUpdate {
  readonly messages: readonly PolledMessage[];
}

/** What the poll passes on, and how often it asks. */
export interface PollOptions {
  /** Pass on the assistant's messages too (the support chat). */
  readonly assistant?: boolean;
  /** Poll as often as when a person holds the conversation (something waits for a person). */
  readonly eager?: boolean;
}

/** Polls while `conversationId` is set and `enabled`; returns whether a person holds the conversation. */
export function usePersonReplies(
  client: ApiClient,
  conversationId: string | undefined,
  enabled: boolean,
  onUpdate: (update: PersonUpdate) => void,
  options: PollOptions = {},
): boolean {
  const { assistant = false, eager = false } = options;
  const [withPerson, setWithPerson] = useState(false);
  useEffect(() => {
    if (!conversationId || !enabled) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let person = false;
    const poll = async () => {
      if (document.visibilityState !== 'hidden') {
        try {
          const after = seen.get(conversationId) ?? 0;
          const view = await conversationMessages(client, conversationId, after, controller.signal);
          const last = view.messages.at(-1);
          if (last) seen.set(conversationId, last.ordinal);
          person = view.withPerson;
          setWithPerson(person);
          const messages = view.messages.flatMap((message): PolledMessage[] =>
            message.role === 'operator' ||
            message.role === 'system' ||
            (assistant && message.role === 'assistant')
              ? [{ ordinal: message.ordinal, role: message.role, content: message.content }]
              : [],
          );
          if (messages.length > 0) onUpdate({ messages });
        } catch (error) {
          // A refused key sends the app to sign-in; other failures are retried on the next tick.
          if (controller.signal.aborted || (error as { isAuthFailure?: boolean }).isAuthFailure) return;
        }
      }
      if (!controller.signal.aborted)
        timer = setTimeout(poll, person || eager ? POLL_WITH_PERSON_MS : POLL_IDLE_MS);
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [client, conversationId, enabled, onUpdate, assistant, eager]);
  return withPerson;
}
