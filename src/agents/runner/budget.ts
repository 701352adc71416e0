/**
 * @module agents/runner/budget
 * The wall-clock budget of one invocation (a turn, or a resume) joined with the caller's signal, so
 * everything downstream (model, tools) sees one signal, and the runner can tell which one fired.
 */
import type { StopReason } from './events.ts';

/** The joined signal; call `dispose` when the invocation ends so the timer does not linger. */
export function budgetSignal(
  budgetMs: number,
  caller?: AbortSignal,
): { signal: AbortSignal; abortReason: () => StopReason; dispose: () => void } {
  const budget = new AbortController();
  const timer = setTimeout(
    () => budget.abort(new Error(`The run's budget of ${budgetMs} ms ran out.`)),
    budgetMs,
  );
  const signal = caller ? AbortSignal.any([budget.signal, caller]) : budget.signal;
  return {
    signal,
    abortReason: () => (budget.signal.aborted ? 'budget-exceeded' : 'aborted'),
    dispose: () => clearTimeout(timer),
  };
}
