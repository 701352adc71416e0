/**
 * One turn of the support chat (`POST /v1/support/messages`, answered whole, not streamed). The
 * question shows at once; the reply fills its slot with the mode, the route and the citations, and a
 * call that waits for a person's approval marks the reply as pending until the outcome arrives (by
 * the poll: see own-replies.ts for how the turn's own reply is kept from showing twice).
 */
import type { MutableRef } from 'preact/hooks';
import type { ApiClient } from '../../api/http.ts';
import { ApiError } from '../../api/http.ts';
import { type SupportToolCall, type SupportTurn, sendSupportMessage } from '../../api/support.ts';
import { storeDraft } from '../../session.ts';
import { type Message, messageId, type SupportAnswerMessage } from './messages.ts';
import type { OwnReplies } from './own-replies.ts';
import type { PolledMessage } from './use-person-replies.ts';

/** What a support turn changes on the page. */
export interface SupportAskDependencies {
  readonly client: ApiClient;
  readonly conversationId: MutableRef<string | undefined>;
  readonly abort: MutableRef<AbortController | null>;
  readonly own: OwnReplies<PolledMessage>;
  onConversation(id: string): void;
  setMessages(change: (all: Message[]) => Message[]): void;
  setBusy(busy: boolean): void;
  setDraft(draft: string): void;
  /** Shows polled messages that were held back during the turn. */
  show(messages: readonly PolledMessage[]): void;
}

/** Sends `question` (again into slot `retryOf` after an error). */
export async function askSupport(
  deps: SupportAskDependencies,
  question: string,
  retryOf?: string,
): Promise<void> {
  const answerId = retryOf ?? messageId();
  const update = (change: (message: SupportAnswerMessage) => SupportAnswerMessage) =>
    deps.setMessages((all) =>
      all.map((message) =>
        message.id === answerId && message.role === 'support' ? change(message) : message,
      ),
    );
  const questionId = messageId();
  if (retryOf) update((message) => ({ ...message, status: 'sending', error: undefined }));
  else {
    deps.setDraft('');
    deps.setMessages((all) => [
      ...all,
      { id: questionId, role: 'user', text: question },
      { id: answerId, role: 'support', question, text: '', status: 'sending', citations: [] },
    ]);
  }
  deps.setBusy(true);
  const controller = new AbortController();
  deps.abort.current = controller;
  deps.own.begin();
  let replyOrdinal: number | undefined;
  try {
    const turn = await sendSupportMessage(
      deps.client,
      question,
      deps.conversationId.current,
      controller.signal,
    );
    replyOrdinal = turn.replyOrdinal;
    // The turn is stored: only now does the draft leave storage.
    storeDraft('');
    if (turn.conversationId !== deps.conversationId.current) deps.onConversation(turn.conversationId);
    update((message) => answered(message, turn));
  } catch (error) {
    if (error instanceof ApiError && error.isAuthFailure) {
      // Sign-in comes back with the draft in the box (still in storage); the unsent turn goes.
      deps.setMessages((all) =>
        all.filter((message) => message.id !== answerId && message.id !== questionId),
      );
      return;
    }
    storeDraft('');
    const text = controller.signal.aborted ? 'Stopped before the reply arrived.' : (error as Error).message;
    update((message) => ({ ...message, status: 'error', error: text }));
  } finally {
    deps.show(deps.own.end(replyOrdinal));
    deps.abort.current = null;
    deps.setBusy(false);
  }
}

/** The slot filled with the turn's reply. */
function answered(message: SupportAnswerMessage, turn: SupportTurn): SupportAnswerMessage {
  const waiting = turn.pendingApproval?.calls ?? [];
  return {
    ...message,
    status: 'done',
    text: turn.reply,
    mode: turn.mode,
    route: turn.route,
    citations: turn.citations,
    ...(waiting.length > 0 ? { approval: { state: 'pending', what: describeWaiting(waiting) } } : {}),
  };
}

/** "this refund (order GW-10002)", or the tool's name for other calls. */
export function describeWaiting(calls: readonly SupportToolCall[]): string {
  return calls
    .map((call) => {
      const order = (call.input as { orderNumber?: unknown } | null)?.orderNumber;
      if (call.name === 'start_return')
        return typeof order === 'string' ? `this refund (order ${order.toUpperCase()})` : 'this refund';
      return `this request (${call.name.replaceAll('_', ' ')})`;
    })
    .join(' and ');
}
