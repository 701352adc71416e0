/**
 * Chat over the knowledge base: each question is a turn of one stored conversation
 * (`POST /v1/chat`, streamed), so follow-ups carry the history. When the server runs the support
 * app, the chat talks to it instead (`POST /v1/support/messages`, use-support-ask.ts): replies say
 * which mode answered, and a request waiting for a person's approval shows until its outcome arrives. A stream that drops before its
 * final event is asked once more into the same answer slot; the server stores a turn only when it
 * completes, so neither the page nor the conversation ends up with the turn twice. When a person
 * takes the conversation over (the operator inbox), their replies appear here as they are sent.
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { type AskEvent, type Citation, streamChatTurn } from '../../api/answers.ts';
import { ApiError, StreamDroppedError } from '../../api/http.ts';
import { Alert } from '../../components/alert.tsx';
import { Button } from '../../components/button.tsx';
import { useApp } from '../../context.ts';
import { storeDraft, storedDraft } from '../../session.ts';
import { AnswerView } from './answer-view.tsx';
import { CitationDrawer } from './citation-drawer.tsx';
import { type AssistantMessage, emptyAnswer, type Message, messageId } from './messages.ts';
import { OwnReplies } from './own-replies.ts';
import { SupportAnswerView } from './support-answer-view.tsx';
import {
  forgetSeenMessages,
  type PersonUpdate,
  type PolledMessage,
  usePersonReplies,
} from './use-person-replies.ts';
import { askSupport } from './use-support-ask.ts';

/** Automatic retries of a dropped stream before the user is asked. */
const RETRIES = 1;

/**
 * The transcript outlives the page component, so opening a cited document and coming back keeps
 * the conversation. Cleared on sign-out.
 */
const kept: { messages: Message[]; conversationId?: string; own: OwnReplies<PolledMessage> } = {
  messages: [],
  own: new OwnReplies(),
};

/** Forgets the kept conversation (sign-out). */
export function forgetConversation(): void {
  kept.messages = [];
  kept.conversationId = undefined;
  kept.own.reset();
  forgetSeenMessages();
}

/** Answers cut off by leaving the page can be asked again. */
function restored(messages: readonly Message[]): Message[] {
  return messages.map((message) =>
    message.role === 'assistant' && !['done', 'error', 'interrupted'].includes(message.status)
      ? { ...message, status: 'interrupted' }
      : message.role === 'support' && message.status === 'sending'
        ? { ...message, status: 'error', error: 'Left before the reply arrived.' }
        : message,
  );
}

/** The chat page. */
export function ChatPage() {
  const { client, capabilities } = useApp();
  const [messages, setMessages] = useState<Message[]>(() => restored(kept.messages));
  const [draft, setDraft] = useState(storedDraft);
  const [formError, setFormError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [openCitation, setOpenCitation] = useState<Citation | null>(null);
  const conversationId = useRef<string | undefined>(kept.conversationId);
  // The same id as state, so the person-replies poll starts when the conversation exists.
  const [conversation, setConversation] = useState(kept.conversationId);
  const [announcement, setAnnouncement] = useState('');
  const show = useCallback((polled: readonly PolledMessage[]) => {
    if (polled.length === 0) return;
    const replied = polled.some((message) => message.role !== 'system');
    setAnnouncement(replied ? 'A new reply arrived.' : (polled.at(-1)?.content ?? ''));
    const outcome = polled.some((message) => message.role === 'assistant');
    setMessages((all) => [
      // A reply that follows a decision settles every request that waited for one.
      ...(outcome
        ? all.map((message) =>
            message.role === 'support' && message.approval?.state === 'pending'
              ? { ...message, approval: { ...message.approval, state: 'decided' as const } }
              : message,
          )
        : all),
      ...polled.map((message): Message => {
        if (message.role === 'operator') return { id: messageId(), role: 'person', text: message.content };
        if (message.role === 'system') return { id: messageId(), role: 'notice', text: message.content };
        return {
          id: messageId(),
          role: 'support',
          question: null,
          text: message.content,
          status: 'done',
          citations: [],
        };
      }),
    ]);
  }, []);
  const onPersonUpdate = useCallback(
    (update: PersonUpdate) => show(kept.own.accept(update.messages)),
    [show],
  );
  const waitingForApproval = messages.some(
    (message) => message.role === 'support' && message.approval?.state === 'pending',
  );
  const withPerson = usePersonReplies(
    client,
    conversation,
    capabilities.conversationMessages,
    onPersonUpdate,
    { assistant: capabilities.support, eager: waitingForApproval },
  );
  const abort = useRef<AbortController | null>(null);
  const transcriptEnd = useRef<HTMLDivElement>(null);

  useEffect(() => () => abort.current?.abort(), []);
  useEffect(() => {
    kept.messages = messages;
  }, [messages]);
  useEffect(() => {
    transcriptEnd.current?.scrollIntoView?.({ block: 'end' });
  }, [messages]);

  const update = useCallback((id: string, change: (message: AssistantMessage) => AssistantMessage) => {
    setMessages((all) =>
      all.map((message) => (message.id === id && message.role === 'assistant' ? change(message) : message)),
    );
  }, []);

  const ask = async (question: string, retryOf?: string) => {
    if (capabilities.support) {
      setFormError(null);
      setAnnouncement('');
      return askSupport(
        {
          client,
          conversationId,
          abort,
          own: kept.own,
          onConversation: (id) => {
            conversationId.current = kept.conversationId = id;
            setConversation(id);
          },
          setMessages,
          setBusy,
          setDraft,
          show,
        },
        question,
        retryOf,
      );
    }
    const answerId = retryOf ?? messageId();
    let shown = retryOf !== undefined;
    setBusy(true);
    setFormError(null);
    setAnnouncement('');
    try {
      for (let attempt = 0; ; attempt++) {
        const controller = new AbortController();
        abort.current = controller;
        try {
          await streamChatTurn(
            client,
            { question, conversationId: conversationId.current },
            {
              onOpen: (id) => {
                if (id) {
                  conversationId.current = kept.conversationId = id;
                  setConversation(id);
                }
                if (!shown) {
                  // The turn is accepted: only now does the question leave the message box.
                  shown = true;
                  setDraft('');
                  storeDraft('');
                  setMessages((all) => [
                    ...all,
                    { id: messageId(), role: 'user', text: question },
                    emptyAnswer(answerId, question),
                  ]);
                } else {
                  update(answerId, () => emptyAnswer(answerId, question));
                }
              },
              onEvent: (event) => update(answerId, (message) => applyEvent(message, event)),
            },
            controller.signal,
          );
          return;
        } catch (error) {
          if (controller.signal.aborted) {
            update(answerId, (message) => ({ ...message, status: 'done' }));
            return;
          }
          if (error instanceof StreamDroppedError && shown) {
            if (attempt < RETRIES) {
              update(answerId, (message) => ({ ...message, status: 'retrying' }));
              await new Promise((resolve) => setTimeout(resolve, 400 * (attempt + 1)));
              continue;
            }
            update(answerId, (message) => ({ ...message, status: 'interrupted' }));
            return;
          }
          // A refused key sends the app to sign-in; the draft is still in the box and in storage.
          if (error instanceof ApiError && error.isAuthFailure) return;
          const text = (error as Error).message;
          if (shown) update(answerId, (message) => ({ ...message, status: 'error', error: text }));
          else setFormError(text);
          return;
        }
      }
    } finally {
      abort.current = null;
      setBusy(false);
    }
  };

  const restart = () => {
    abort.current?.abort();
    conversationId.current = undefined;
    setConversation(undefined);
    forgetConversation();
    setMessages([]);
    setOpenCitation(null);
  };

  const submit = (event?: Event) => {
    event?.preventDefault();
    const question = draft.trim();
    if (!question || busy) return;
    void ask(question);
  };

  return (
    <div class={`chat ${openCitation ? 'chat-with-drawer' : ''}`}>
      {/* Streaming text in a live region would be read out delta by delta; announce the end instead. */}
      <p class="visually-hidden" role="status">
        {busy ? 'Answering…' : announcement || (messages.length > 0 ? 'Answer ready.' : '')}
      </p>
      <section class="transcript" aria-label="Conversation">
        {messages.length === 0 && (
          <div class="empty-chat">
            {capabilities.support ? (
              <>
                <h1>Ask our support team</h1>
                <p>
                  Orders, returns, refunds and product questions. Refunds above the limit wait for a person's
                  approval; the outcome appears here.
                </p>
              </>
            ) : (
              <>
                <h1>Ask the knowledge base</h1>
                <p>Answers cite their sources; select a number to read the passage.</p>
              </>
            )}
          </div>
        )}
        {messages.map((message) =>
          message.role === 'user' ? (
            <article key={message.id} class="message message-user">
              <p>{message.text}</p>
            </article>
          ) : message.role === 'person' ? (
            <article key={message.id} class="message message-assistant message-person">
              <span class="mode-label mode-human">Human</span>
              <p>{message.text}</p>
            </article>
          ) : message.role === 'notice' ? (
            <p key={message.id} class="chat-notice">
              {message.text}
            </p>
          ) : message.role === 'support' ? (
            <SupportAnswerView
              key={message.id}
              message={message}
              onRetry={() => message.question !== null && void ask(message.question, message.id)}
            />
          ) : (
            <AnswerView
              key={message.id}
              message={message}
              onOpenCitation={setOpenCitation}
              onRetry={() => void ask(message.question, message.id)}
            />
          ),
        )}
        <div ref={transcriptEnd} />
      </section>
      {withPerson && <p class="with-person">A person from the support team is in this conversation.</p>}
      <form class="composer" onSubmit={submit}>
        {formError && <Alert>{formError}</Alert>}
        <label for="question" class="visually-hidden">
          Your question
        </label>
        <textarea
          id="question"
          name="question"
          rows={2}
          placeholder="Ask a question… (Enter to send, Shift+Enter for a new line)"
          value={draft}
          maxLength={4000}
          onInput={(event) => {
            setDraft(event.currentTarget.value);
            storeDraft(event.currentTarget.value);
          }}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) submit(event);
          }}
        />
        <div class="composer-actions">
          {busy ? (
            <Button variant="secondary" onClick={() => abort.current?.abort()}>
              Stop
            </Button>
          ) : (
            <Button variant="primary" type="submit" disabled={!draft.trim()}>
              Send
            </Button>
          )}
          {messages.length > 0 && !busy && (
            <Button variant="ghost" onClick={restart}>
              New conversation
            </Button>
          )}
        </div>
      </form>
      {openCitation && <CitationDrawer citation={openCitation} onClose={() => setOpenCitation(null)} />}
    </div>
  );
}

/** Folds one stream event into the answer; `done` replaces the text with the complete answer. */
function applyEvent(message: AssistantMessage, event: AskEvent): AssistantMessage {
  switch (event.type) {
    case 'retrieval-done':
      return { ...message, status: 'writing' };
    case 'text-delta':
      return { ...message, status: 'writing', text: message.text + event.delta };
    case 'citations':
      return { ...message, citations: event.citations };
    case 'done':
      return {
        ...message,
        status: 'done',
        text: event.result.answer,
        citations: event.result.citations,
        mode: event.result.mode,
        traceId: event.result.traceId,
      };
    case 'error':
      return { ...message, status: 'error', error: event.message };
  }
}
