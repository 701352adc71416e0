/**
 * @module server/answer-events
 * Streams an answer as server-sent events (event name = the `AskEvent` type, data = the event as
 * JSON), and cancels the answer — the model call included — when the client goes away.
 */
import type { Context } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { AskEvent } from '../spec/answer.ts';

/** True when the caller asked for a stream, by header or by body flag. */
export function wantsEventStream(context: Context, flag: boolean | undefined): boolean {
  return flag === true || (context.req.header('accept') ?? '').includes('text/event-stream');
}

/**
 * An abort signal that fires when the client disconnects: the request's own signal (the Node adapter
 * aborts it when the socket closes) plus, for streams, the SSE writer's abort.
 */
export function clientSignal(context: Context): AbortController {
  const controller = new AbortController();
  const request = context.req.raw.signal;
  if (request.aborted) controller.abort(request.reason);
  else request.addEventListener('abort', () => controller.abort(request.reason), { once: true });
  return controller;
}

/** Writes `events(signal)` as SSE; `headers` go on the response (e.g. the conversation id). */
export function streamAnswerEvents(
  context: Context,
  events: (signal: AbortSignal) => AsyncIterable<AskEvent>,
  headers: Record<string, string> = {},
): Response {
  const controller = clientSignal(context);
  for (const [name, value] of Object.entries(headers)) context.header(name, value);
  return streamSSE(
    context,
    async (stream) => {
      stream.onAbort(() => controller.abort(new Error('The client disconnected.')));
      for await (const event of events(controller.signal)) {
        if (stream.aborted || stream.closed) break;
        await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
      }
    },
    async (error, stream) => {
      console.error(error);
      await stream.writeSSE({
        event: 'error',
        data: JSON.stringify({ type: 'error', code: 'internal_error', message: 'The stream failed.' }),
      });
    },
  );
}
