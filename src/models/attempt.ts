/**
 * @module models/attempt
 * One request to one model: an abort signal that fires when the caller aborts or when the attempt's
 * timer runs out. The timer can be restarted, which streams use as an idle timeout between chunks.
 * Waiting and racing a call against the signal are in os/abortable.ts.
 */

/** A running attempt; `dispose()` clears its timer and its link to the caller's signal. */
export interface Attempt {
  readonly signal: AbortSignal;
  /** True once our timer (not the caller) aborted the attempt. */
  readonly timedOut: boolean;
  restartTimer(): void;
  dispose(): void;
}

/** Starts an attempt that times out after `timeoutMs` unless restarted or disposed first. */
export function startAttempt(callerSignal: AbortSignal | undefined, timeoutMs: number): Attempt {
  const controller = new AbortController();
  let timedOut = false;
  let timer: NodeJS.Timeout | undefined;
  const onCallerAbort = () => controller.abort(callerSignal?.reason);
  callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
  const restartTimer = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new DOMException(`No answer within ${timeoutMs} ms.`, 'TimeoutError'));
    }, timeoutMs);
  };
  restartTimer();
  return {
    signal: controller.signal,
    get timedOut() {
      return timedOut;
    },
    restartTimer,
    dispose() {
      clearTimeout(timer);
      callerSignal?.removeEventListener('abort', onCallerAbort);
    },
  };
}
