/**
 * @module server/answer-events
 * Streams an answer as server-sent events (event name = the `AskEvent` type, data = the event as
 * JSON), and cancels the answer — the model call included — when the client goes away or the
 * caller's credential ends.
 */
import type { Context } from 'hono';
import type { AskEvent } from '../spec/answer.ts';
import type { ServerEnv } from './authenticate.ts';
import { streamWhileValid } from './live-stream.ts';

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

/**
 * Writes `events(signal)` as SSE; `headers` go on the response (e.g. the conversation id). The stream
 * ends with an `error` event when the caller's credential is revoked or expires (server/live-stream.ts).
 */
export function streamAnswerEvents(
  context: Context<ServerEnv>,
  events: (signal: AbortSignal) => AsyncIterable<AskEvent>,
  headers: Record<string, string> = {},
): Response {
  for (const [name, value] of Object.entries(headers)) context.header(name, value);
  return streamWhileValid(context, async (stream, signal) => {
    for await (const event of events(signal)) {
      if (stream.aborted) break;
      await stream.writeSSE({ event: event.type, data: JSON.stringify(event) });
    }
  });
}
