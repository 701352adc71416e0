/**
 * @module os/periodic
 * Runs a maintenance task now and then every `intervalMs`, never two at once, without keeping the
 * process alive; the returned stop function waits for a run in progress.
 */

/** Starts `task`; returns a function that stops it and waits for the current run. */
export function startPeriodic(
  task: () => Promise<unknown>,
  intervalMs: number,
  onError: (error: unknown) => void = () => {},
): () => Promise<void> {
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
