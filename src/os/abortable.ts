/**
 * @module os/abortable
 * Waiting that a caller can cut short: `sleep` for backoffs and grace periods, `raceAbort` for a
 * promise that may not honour its abort signal. One copy for the whole code base (models, moderation
 * classifiers, downloads, the ONNX embedder, the Postgres session and the server's drain use them).
 */

/**
 * Settles with `promise`, or rejects as soon as `signal` aborts (at once when it already has). The
 * promise itself is not cancelled: a hung call must end on time even when it ignores the signal.
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

/** How `sleep` waits. */
export interface SleepOptions {
  /** Rejects with the signal's reason when it aborts first (at once when it already has). */
  readonly signal?: AbortSignal;
  /** The timer does not keep the process alive (shutdown grace periods). Default false. */
  readonly unref?: boolean;
}

/** Waits `ms`, or rejects with the signal's reason when it aborts first. */
export function sleep(ms: number, options: SleepOptions = {}): Promise<void> {
  const { signal } = options;
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
    if (options.unref) timer.unref();
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
