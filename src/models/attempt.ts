/**
 * @module models/attempt
 * One request to one model: an abort signal that fires when the caller aborts or when the attempt's
 * timer runs out. The timer can be restarted, which streams use as an idle timeout between chunks.
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

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts. Providers pass the signal to
 * `fetch`, but we do not rely on every code path honouring it: a hung call must end on time.
 */
export function raceAbort<T>(promise: PromiseLike<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    // The promise was started anyway; keep its later failure from going unhandled.
    Promise.resolve(promise).catch(() => {});
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    Promise.resolve(promise).then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
