/**
 * @module store/read-router
 * The read executor of a database with a read replica: statements go to the replica while it
 * answers; when it is unavailable they go to the primary, and the replica is skipped for a while
 * (so each read does not first wait for a dead replica's connection timeout), then tried again.
 * Only unavailability falls back: a statement that fails on the replica for its own reasons (bad
 * SQL, a statement timeout) fails as it is.
 */
import { findDatabaseUnavailable } from '../errors.ts';
import type { ReadExecutor } from './database.ts';

/** Options of the router. */
export interface ReadRouterOptions {
  readonly replica: ReadExecutor;
  readonly primary: ReadExecutor;
  /** How long a failed replica is skipped. Default 5 s. */
  readonly retryAfterMs?: number;
  /** Called when the router starts reading from the primary (once per failure, not per read). */
  readonly onFallback?: (error: unknown) => void;
  /** The clock (tests pass their own). */
  readonly now?: () => number;
}

/** A read executor that prefers the replica. */
export function createReadRouter(options: ReadRouterOptions): ReadExecutor {
  const retryAfterMs = options.retryAfterMs ?? 5_000;
  const now = options.now ?? Date.now;
  let skipUntil = 0;
  const route = async <T>(run: (executor: ReadExecutor) => Promise<T>): Promise<T> => {
    if (now() >= skipUntil) {
      try {
        return await run(options.replica);
      } catch (error) {
        const unavailable = findDatabaseUnavailable(error);
        if (!unavailable || unavailable.details.reason === 'statement_timeout') throw error;
        skipUntil = now() + retryAfterMs;
        options.onFallback?.(error);
      }
    }
    return run(options.primary);
  };
  return {
    query: (text, params) => route((executor) => executor.query(text, params)),
    transaction: (fn) => route((executor) => executor.transaction(fn)),
  };
}
