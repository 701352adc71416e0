/**
 * @module server/drain
 * The HTTP side of a graceful shutdown. Once `begin()` is called the process is draining: `/readyz`
 * answers 503 `server_shutting_down` (a load balancer stops sending), a request that still arrives on
 * an open keep-alive connection is refused with the same code and `Connection: close` (probes and
 * scrapes are still answered), responses in flight carry on, and every open event stream is ended
 * with one final event through `server/live-stream.ts`: subscriptions (job progress, inbox events,
 * which never end by themselves) at once, bounded streams (answers) when the stream deadline passes
 * if they have not finished by then.
 */
import type { MiddlewareHandler } from 'hono';
import { isStreamedResponse, onBodyEnd } from './body-end.ts';

/** Why a stream ended because the server shuts down; the same shape as a credential's end. */
export interface ShutdownEnd {
  readonly code: 'server_shutting_down';
  readonly message: string;
}

/** The final event's code and message. */
export const SHUTTING_DOWN: ShutdownEnd = {
  code: 'server_shutting_down',
  message: 'The server is shutting down; retry the request, another instance will answer it.',
};

/** Seconds a refused client is told to wait; another instance usually answers at once. */
export const SHUTDOWN_RETRY_AFTER_SECONDS = 1;

/** Paths still answered while draining: probes and scrapes. */
const ALWAYS_ANSWERED = new Set(['/healthz', '/readyz', '/metrics']);

/** A stream that ended because of the drain. */
type StreamEndListener = (end: ShutdownEnd) => void;

/**
 * Tracks whether the process drains, the requests in flight and the open streams.
 * @example
 * const drain = new ServerDrain();
 * const http = createHttpApp(app, { drain });
 * process.once('SIGTERM', () => drain.begin({ streamDeadlineMs: 8000 }));
 */
export class ServerDrain {
  private started = false;
  private readonly subscriptions = new Set<StreamEndListener>();
  private readonly bounded = new Set<StreamEndListener>();
  private streamTimer: NodeJS.Timeout | undefined;
  private requests = 0;
  private idleWaiters: (() => void)[] = [];

  /** True from `begin()` on. */
  get draining(): boolean {
    return this.started;
  }

  /** Requests whose response (including a streamed body) has not ended yet. */
  get inFlight(): number {
    return this.requests;
  }

  /** Open streams, for tests and logs. */
  get openStreams(): number {
    return this.subscriptions.size + this.bounded.size;
  }

  /**
   * Starts draining: subscriptions end now, bounded streams at `streamDeadlineMs` from now (at once
   * when it is 0) unless they finish first.
   */
  begin(options: { readonly streamDeadlineMs: number }): void {
    if (this.started) return;
    this.started = true;
    this.endAll(this.subscriptions);
    if (options.streamDeadlineMs <= 0) this.endAll(this.bounded);
    else {
      this.streamTimer = setTimeout(() => this.endAll(this.bounded), options.streamDeadlineMs);
      this.streamTimer.unref();
    }
  }

  /** Ends the remaining streams now (the grace period is nearly over). */
  endStreams(): void {
    clearTimeout(this.streamTimer);
    this.endAll(this.subscriptions);
    this.endAll(this.bounded);
  }

  /**
   * Registers an open stream; `onEnd` runs once when the drain ends it (at once when draining already
   * and the stream is a subscription). Returns the function that unregisters it.
   */
  watchStream(kind: 'subscription' | 'bounded', onEnd: StreamEndListener): () => void {
    const set = kind === 'subscription' ? this.subscriptions : this.bounded;
    if (this.started && kind === 'subscription') {
      queueMicrotask(() => onEnd(SHUTTING_DOWN));
      return () => {};
    }
    set.add(onEnd);
    return () => set.delete(onEnd);
  }

  /** Resolves once no request is in flight (at once when none is). */
  idle(): Promise<void> {
    if (this.requests === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * The first middleware: counts requests in flight until their body ends, refuses new work while
   * draining, and asks clients to close their connection once the drain began.
   */
  middleware(): MiddlewareHandler {
    return async (context, next) => {
      if (this.started && !ALWAYS_ANSWERED.has(context.req.path)) {
        context.header('connection', 'close');
        context.header('retry-after', String(SHUTDOWN_RETRY_AFTER_SECONDS));
        return context.json({ error: { code: SHUTTING_DOWN.code, message: SHUTTING_DOWN.message } }, 503);
      }
      this.requests++;
      let counted = true;
      const done = () => {
        if (!counted) return;
        counted = false;
        this.requests--;
        if (this.requests === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
      };
      try {
        await next();
      } catch (error) {
        done();
        throw error;
      }
      if (this.started) context.header('connection', 'close');
      // A streamed body is in flight until it ends; a plain one is written at once.
      if (isStreamedResponse(context.res)) context.res = onBodyEnd(context.res, done);
      else done();
    };
  }

  private endAll(set: Set<StreamEndListener>): void {
    const listeners = [...set];
    set.clear();
    for (const listener of listeners) listener(SHUTTING_DOWN);
  }
}
