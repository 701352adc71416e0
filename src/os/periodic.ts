/**
 * @module os/periodic
 * Runs a maintenance task now and then every `intervalMs`, never two at once, without keeping the
 * process alive; the returned stop function waits for a run in progress.
 */

/** How often a periodic task runs, and who hears its failures. */
export interface PeriodicOptions {
  readonly intervalMs: number;
  /** Hears a failed run (the next one runs anyway). */
  readonly onError?: (error: unknown) => void;
}

/** Starts `task`; returns a function that stops it and waits for the current run. */
export function startPeriodic(task: () => Promise<unknown>, options: PeriodicOptions): () => Promise<void> {
  const { intervalMs, onError = () => {} } = options;
  let running: Promise<unknown> | undefined;
  const tick = () => {
    if (running) return;
    running = task()
      .catch(onError)
      .finally(() => {
        running = undefined;
      });
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
