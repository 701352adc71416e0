/**
 * Answers: one streamed turn of `POST /v1/chat` (a stored conversation). The answer's types are the
 * route's declared response (routes.gen.ts); the stream's events are described in words there, so
 * their envelope is written here.
 */
import { type ApiClient, ApiError, StreamDroppedError } from './http.ts';
import type { ApiResponse } from './routes.gen.ts';
import { readEvents } from './sse.ts';

/** The full answer, as the `done` event carries it (the JSON response of `POST /v1/chat`). */
export type AskResult = ApiResponse<'post /v1/chat'>;

/** A cited passage. */
export type Citation = AskResult['citations'][number];

/** How a chat message was written: the answer's mode, or `human` (a person, from the operator inbox). */
export type AnswerMode = AskResult['mode'] | 'human';

/** Events of an answer stream. */
export type AskEvent =
  | { readonly type: 'retrieval-done'; readonly passages: number; readonly retrieveMs: number }
  | { readonly type: 'text-delta'; readonly delta: string }
  | { readonly type: 'citations'; readonly citations: readonly Citation[] }
  | { readonly type: 'done'; readonly result: AskResult }
  | { readonly type: 'error'; readonly code: string; readonly message: string };

/** One turn to send. */
export interface ChatTurn {
  readonly question: string;
  readonly conversationId?: string;
}

/** Callbacks of a streamed turn. */
export interface ChatHandlers {
  /** The server accepted the turn (headers arrived): the conversation id is known. */
  onOpen(conversationId: string | null): void;
  onEvent(event: AskEvent): void;
}

/**
 * Streams one turn. Resolves after `done`; rejects with `ApiError` when the server refuses the turn
 * or sends an `error` event, and with `StreamDroppedError` when the stream ends before `done` (the
 * server stores a turn only at `done`, so asking again cannot store it twice).
 */
export async function streamChatTurn(
  client: ApiClient,
  turn: ChatTurn,
  handlers: ChatHandlers,
  signal?: AbortSignal,
): Promise<AskResult> {
  const response = await client.send('/v1/chat', {
    body: { ...turn, stream: true },
    accept: 'text/event-stream',
    signal,
  });
  handlers.onOpen(response.headers.get('groundwork-conversation-id'));
  if (!response.body) throw new StreamDroppedError();
  try {
    for await (const message of readEvents(response.body)) {
      const event = JSON.parse(message.data) as AskEvent;
      handlers.onEvent(event);
      if (event.type === 'done') return event.result;
      if (event.type === 'error') throw new ApiError(200, event.code, event.message);
    }
  } catch (error) {
    if (error instanceof ApiError || signal?.aborted) throw error;
    // A network error mid-body is a drop, like an early end.
    throw new StreamDroppedError();
  }
  throw new StreamDroppedError();
}
