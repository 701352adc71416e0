/**
 * @module store/postgres-session
 * Statements and transactions on a node-postgres pool, with connection loss treated as an expected
 * event. Every checked-out client has an `error` listener (a client without one crashes the process
 * when its server goes away), a client whose connection broke is destroyed instead of going back to
 * the pool, and losses surface as `DatabaseUnavailableError`.
 *
 * What is re-run, and why that is safe:
 * - a statement or transaction whose connection could not be opened (nothing was sent);
 * - a read (`readOnly`) whose connection died: reading twice changes nothing;
 * - a transaction marked idempotent whose connection died before COMMIT was sent: the server rolls
 *   back a transaction whose session ends, so the attempt left nothing behind.
 * A COMMIT whose reply never came is never re-run: it may have committed. It fails with
 * `database_unavailable` and `details.commitOutcome: 'unknown'`.
 */
import type pg from 'pg';
import {
  DatabaseUnavailableError,
  type DatabaseUnavailableReason,
  findDatabaseUnavailable,
} from '../errors.ts';
import { sleep } from '../os/abortable.ts';
import type { QueryResult, SqlExecutor, TransactionOptions } from './database.ts';
import { toDatabaseError, unavailableReason } from './database-errors.ts';

/** Waits before each re-run of an idempotent transaction (the length is the number of re-runs). */
export const TRANSACTION_RETRY_DELAYS_MS: readonly number[] = [100, 500, 2000];
/** Waits before the one re-run of a statement whose connection failed. */
const STATEMENT_RETRY_DELAY_MS = 50;

/** Reasons after which running again on a new connection can succeed. */
const RECONNECTABLE = new Set<DatabaseUnavailableReason>([
  'connection_lost',
  'connection_refused',
  'server_shutting_down',
]);
/** Reasons that mean this client's connection is unusable (a statement timeout leaves it usable). */
const CONNECTION_GONE = new Set<DatabaseUnavailableReason>([...RECONNECTABLE, 'closed']);

/** A connection loss that happened at a known moment. */
class Lost {
  constructor(
    readonly error: unknown,
    readonly reason: DatabaseUnavailableReason,
    /** True when it happened while connecting, so no statement of this attempt reached the server. */
    readonly whileConnecting = false,
  ) {}
}

/** Runs one statement on a pooled connection; re-runs once where that cannot repeat a write. */
export async function runStatement<R>(
  pool: pg.Pool,
  text: string,
  params: readonly unknown[] | undefined,
  options: { readonly readOnly: boolean },
): Promise<QueryResult<R>> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await withClient(pool, async (client, lost) => {
        try {
          return await execute<R>(client, text, params);
        } catch (error) {
          // "Not queryable" is raised before anything is sent, so even a write may run again.
          throw lossOf(error, lost()) ?? error;
        }
      });
    } catch (error) {
      const canRerun =
        error instanceof Lost &&
        RECONNECTABLE.has(error.reason) &&
        (options.readOnly || quickConnectFailure(error) || neverSent(error.error));
      if (canRerun && attempt === 1) {
        await sleep(STATEMENT_RETRY_DELAY_MS);
        continue;
      }
      throw publicError(error);
    }
  }
}

/** Runs `fn` in a transaction on one pooled connection (see the module comment for re-runs). */
export async function runTransaction<T>(
  pool: pg.Pool,
  fn: (tx: SqlExecutor) => Promise<T>,
  options: TransactionOptions = {},
): Promise<T> {
  const delays = options.idempotent ? TRANSACTION_RETRY_DELAYS_MS : [];
  for (let attempt = 0; ; attempt++) {
    try {
      return await withClient(pool, (client, lost) => transactionOnce(client, lost, fn));
    } catch (error) {
      const delay = delays[attempt];
      const connectFailed = error instanceof Lost && (quickConnectFailure(error) || neverSent(error.error));
      if (error instanceof Lost && RECONNECTABLE.has(error.reason) && delay !== undefined) {
        await sleep(delay);
        continue;
      }
      // A transaction that never got a connection is safe to re-run once whatever it is.
      if (connectFailed && attempt === 0 && RECONNECTABLE.has((error as Lost).reason)) {
        await sleep(STATEMENT_RETRY_DELAY_MS);
        continue;
      }
      throw publicError(error);
    }
  }
}

async function transactionOnce<T>(
  client: pg.PoolClient,
  lost: () => unknown,
  fn: (tx: SqlExecutor) => Promise<T>,
): Promise<T> {
  const tx: SqlExecutor = {
    query: async <R>(text: string, params?: readonly unknown[]) => {
      const broken = lost();
      if (broken) throw toDatabaseError(broken);
      try {
        return await execute<R>(client, text, params);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
  };
  try {
    await execute(client, 'BEGIN');
    const result = await fn(tx);
    try {
      await execute(client, 'COMMIT');
    } catch (error) {
      const loss = lossOf(error, lost());
      if (!loss) throw error;
      throw new DatabaseUnavailableError(loss.reason, { cause: loss.error, commitOutcome: 'unknown' });
    }
    return result;
  } catch (error) {
    if (error instanceof DatabaseUnavailableError && error.details.commitOutcome === 'unknown') throw error;
    const loss = lossOf(error, lost());
    if (loss) throw loss;
    // An ordinary failure: roll back; a ROLLBACK that fails means the connection is gone.
    await execute(client, 'ROLLBACK').catch(() => {});
    throw error;
  }
}

/**
 * Checks a client out with an `error` listener on it for as long as it is out, and gives it back,
 * destroyed when its connection broke (`Lost` thrown, or an `error` event seen).
 */
async function withClient<T>(
  pool: pg.Pool,
  use: (client: pg.PoolClient, lost: () => unknown) => Promise<T>,
): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    const loss = lossOf(error, undefined);
    throw loss ? new Lost(loss.error, loss.reason, true) : error;
  }
  let broken: unknown;
  const onError = (error: Error) => {
    broken ??= error;
  };
  client.on('error', onError);
  let destroy: Error | undefined;
  try {
    return await use(client, () => broken);
  } catch (error) {
    if (broken || lossOf(error, undefined)) destroy = new Error('The connection was lost.');
    throw error;
  } finally {
    if (broken && !destroy) destroy = new Error('The connection was lost.');
    // The pool puts its own listener on before it destroys the client, so a late `error` is caught.
    client.release(destroy);
    client.off('error', onError);
  }
}

/**
 * The connection loss behind `error` (or the `error` event already seen on the client), or undefined
 * for an ordinary error, a statement timeout included.
 */
function lossOf(error: unknown, eventError: unknown): Lost | undefined {
  if (error instanceof Lost) return error;
  const typed = findDatabaseUnavailable(error);
  const reason = typed ? (typed.details.reason as DatabaseUnavailableReason) : unavailableReason(error);
  if (reason && CONNECTION_GONE.has(reason)) return new Lost(typed?.cause ?? error, reason);
  if (eventError) return new Lost(eventError, unavailableReason(eventError) ?? 'connection_lost');
  return undefined;
}

/**
 * A connection that failed to open at once (refused, reset): nothing was sent, and trying once more is
 * cheap. One that timed out is not tried again: that would double the wait before the 503.
 */
function quickConnectFailure(loss: Lost): boolean {
  const message = (loss.error as { message?: unknown } | undefined)?.message;
  return loss.whileConnecting && !(typeof message === 'string' && /timeout/i.test(message));
}

/** True when the failure happened before the statement left this process. */
function neverSent(error: unknown): boolean {
  const { message, code } = (error ?? {}) as { message?: unknown; code?: unknown };
  if (code === 'ECONNREFUSED') return true;
  return (
    typeof message === 'string' &&
    /^(timeout exceeded when trying to connect|Client has encountered a connection error and is not queryable|Connection terminated due to connection timeout)$/.test(
      message,
    )
  );
}

function publicError(error: unknown): unknown {
  if (error instanceof Lost) {
    return (
      findDatabaseUnavailable(error.error) ??
      new DatabaseUnavailableError(error.reason, { cause: error.error })
    );
  }
  return toDatabaseError(error);
}

async function execute<R>(
  client: pg.PoolClient,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await client.query(text, params ? [...params] : undefined);
  return { rows: result.rows as R[], affectedRows: result.rowCount ?? undefined };
}
