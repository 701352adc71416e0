/**
 * @module server/live-stream
 * Server-sent event streams that end when the caller's credential does. Every long-lived response
 * (answer streams, the OpenAI-compatible stream, the inbox and job event streams) is written through
 * `streamWhileValid`: once the key that opened it is revoked, rotated away or expires, or the bearer
 * token expires, the route's work is aborted (the model call included), one final error event with
 * `credential_revoked` or `credential_expired` is sent, and the stream closes. Nothing the route
 * writes after that moment reaches the client: writes go through a gate that closes first. A server
 * shutdown (server/drain.ts) ends streams the same way, with `server_shutting_down`.
 */
import type { Context } from 'hono';
import { type SSEMessage, streamSSE } from 'hono/streaming';
import { DATABASE_UNAVAILABLE_MESSAGE, findDatabaseUnavailable } from '../errors.ts';
import type { CredentialEnd } from '../identity/credential-watch.ts';
import { logger } from '../observability/logger.ts';
import type { ServerEnv } from './authenticate.ts';
import type { ShutdownEnd } from './drain.ts';

/** What a route's stream body may do: write, sleep, and see whether the stream is over. */
export interface LiveStream {
  writeSSE(message: SSEMessage): Promise<void>;
  /** Raw text, e.g. `: keep-alive` comments. */
  write(text: string): Promise<void>;
  sleep(ms: number): Promise<void>;
  /** Called when the client goes away or the credential ends. */
  onAbort(listener: () => void): void;
  /** True once the client went away or the credential ended. */
  readonly aborted: boolean;
}

/** Why a stream was ended from outside: the caller's credential ended, or the server shuts down. */
export type StreamEnd = CredentialEnd | ShutdownEnd;

/** How a stream ends on a credential change, and on an unexpected failure, in the route's format. */
export interface LiveStreamOptions {
  /**
   * The final event (or events); by default `event: error`, data `{type: 'error', code, message}`.
   */
  readonly endEvent?: (end: StreamEnd) => SSEMessage | readonly SSEMessage[];
  /**
   * The event sent when the body throws; by default an `error` event with `internal_error`, or with
   * `database_unavailable` when the database was the cause.
   */
  readonly failureEvent?: SSEMessage | ((error: unknown) => SSEMessage);
  /**
   * A stream that never ends by itself (job progress, inbox events): a shutdown ends it at once.
   * Other streams (answers) may finish until the drain's stream deadline. Default: true for paths
   * ending in `/events` (the live event streams, as the request timeout sees them).
   */
  readonly subscription?: boolean;
}

/** The default final event: the same shape as an answer stream's `error` event. */
export function errorEvent(code: string, message: string): SSEMessage {
  return { event: 'error', data: JSON.stringify({ type: 'error', code, message }) };
}

/**
 * Streams `body` as server-sent events while the caller's credential stays valid. `signal` aborts
 * when the client disconnects or the credential ends; pass it to the work the stream waits on.
 */
export function streamWhileValid(
  context: Context<ServerEnv>,
  body: (stream: LiveStream, signal: AbortSignal) => Promise<void>,
  options: LiveStreamOptions = {},
): Response {
  const lease = context.get('credential');
  const drain = context.get('drain');
  const request = context.req.raw.signal;
  return streamSSE(context, async (sse) => {
    const controller = new AbortController();
    const listeners: (() => void)[] = [];
    let ended: StreamEnd | undefined;
    let closed = false;
    let tail: Promise<unknown> = Promise.resolve();
    let endReached: () => void = () => {};
    const credentialEnded = new Promise<void>((resolve) => {
      endReached = resolve;
    });
    const abort = (reason: Error) => {
      if (controller.signal.aborted) return;
      controller.abort(reason);
      for (const listener of listeners) listener();
    };
    // Writes are queued one after another, so the final event always comes after what was sent.
    const send = (write: () => Promise<unknown>): Promise<void> => {
      if (closed) return Promise.resolve();
      const next = tail.then(write);
      tail = next.catch(() => {});
      return next.then(() => {});
    };
    const live: LiveStream = {
      writeSSE: (message) => send(() => sse.writeSSE(message)),
      write: (text) => send(() => sse.write(text)),
      sleep: async (ms) => {
        await sse.sleep(ms);
      },
      onAbort: (listener) => {
        listeners.push(listener);
      },
      get aborted() {
        return controller.signal.aborted || sse.aborted;
      },
    };
    sse.onAbort(() => abort(new Error('The client disconnected.')));
    if (request.aborted) abort(new Error('The client disconnected.'));
    else
      request.addEventListener('abort', () => abort(new Error('The client disconnected.')), { once: true });
    const endFromOutside = (end: StreamEnd) => {
      if (ended || closed) return;
      ended = end;
      closed = true;
      abort(new Error(end.message));
      endReached();
    };
    const writeEnd = async (end: StreamEnd) => {
      const events = options.endEvent?.(end) ?? errorEvent(end.code, end.message);
      for (const event of Array.isArray(events) ? events : [events]) await sse.writeSSE(event);
    };
    const stop = lease?.(endFromOutside);
    const subscription = options.subscription ?? context.req.path.endsWith('/events');
    const stopDrain = drain?.watchStream(subscription ? 'subscription' : 'bounded', endFromOutside);
    try {
      const work = body(live, controller.signal);
      // The body may still be running (or blocked) when the credential ends; its failure then is moot.
      work.catch(() => {});
      await Promise.race([work, credentialEnded]);
      if (ended) {
        await tail;
        await writeEnd(ended);
      }
    } catch (error) {
      if (ended) {
        await tail;
        await writeEnd(ended);
        return;
      }
      const unavailable = findDatabaseUnavailable(error);
      if (unavailable) logger.warn({ err: unavailable }, 'A stream failed: the database is unavailable.');
      else logger.error({ err: error }, 'A stream failed.');
      closed = true;
      abort(new Error('The stream failed.'));
      await tail;
      const failure =
        typeof options.failureEvent === 'function' ? options.failureEvent(error) : options.failureEvent;
      await sse.writeSSE(
        failure ??
          (unavailable
            ? errorEvent(unavailable.code, DATABASE_UNAVAILABLE_MESSAGE)
            : errorEvent('internal_error', 'The stream failed.')),
      );
    } finally {
      closed = true;
      stop?.();
      stopDrain?.();
    }
  });
}
