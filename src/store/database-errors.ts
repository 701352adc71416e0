/**
 * @module store/database-errors
 * Tells "the database is not there right now" apart from "this statement is wrong", for errors of
 * either engine. The first kind becomes `DatabaseUnavailableError` at the adapter, so every layer
 * above sees one typed error (HTTP 503 `database_unavailable`); the second passes through untouched.
 */
import {
  DatabaseUnavailableError,
  type DatabaseUnavailableReason,
  GroundworkError,
  StorageFullError,
} from '../errors.ts';

/** SQLSTATEs that mean the server cannot serve this session now (not that the SQL is wrong). */
const UNAVAILABLE_SQLSTATES: Readonly<Record<string, DatabaseUnavailableReason>> = {
  // admin_shutdown (fast/immediate shutdown, pg_terminate_backend), crash_shutdown, cannot_connect_now.
  '57P01': 'server_shutting_down',
  '57P02': 'server_shutting_down',
  '57P03': 'server_shutting_down',
  // database_dropped: the session's database is gone under it.
  '57P04': 'connection_lost',
  // too_many_connections: the server's max_connections is reached.
  '53300': 'connection_refused',
};

/** Errors of the socket underneath the driver. */
const UNAVAILABLE_ERRNOS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** Messages node-postgres, pg-pool and PGlite raise without a code. */
const UNAVAILABLE_MESSAGES: readonly [RegExp, DatabaseUnavailableReason][] = [
  [/^timeout exceeded when trying to connect$/i, 'pool_timeout'],
  [/^Connection terminated/i, 'connection_lost'],
  [/^Client has encountered a connection error and is not queryable$/i, 'connection_lost'],
  [/^Client was closed and is not queryable$/i, 'connection_lost'],
  [/^Query read timeout$/i, 'connection_lost'],
  [/^Cannot use a pool after calling end on the pool$/i, 'closed'],
  [/^PGlite is closed$/i, 'closed'],
];

/** Why `error` means the database is unavailable, or undefined when it is an ordinary error. */
export function unavailableReason(error: unknown): DatabaseUnavailableReason | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const { code, message } = error as { code?: unknown; message?: unknown };
  if (typeof code === 'string') {
    if (code.startsWith('08')) return 'connection_lost';
    const reason = UNAVAILABLE_SQLSTATES[code];
    if (reason) return reason;
    // query_canceled is also a user's cancel; only the server's statement timeout counts here.
    if (code === '57014' && typeof message === 'string' && /statement timeout/i.test(message)) {
      return 'statement_timeout';
    }
    if (UNAVAILABLE_ERRNOS.has(code))
      return code === 'ECONNREFUSED' ? 'connection_refused' : 'connection_lost';
  }
  if (typeof message === 'string') {
    for (const [pattern, reason] of UNAVAILABLE_MESSAGES) if (pattern.test(message)) return reason;
  }
  // `AggregateError` of every address tried (localhost as ::1 and 127.0.0.1).
  const { errors } = error as { errors?: unknown };
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => unavailableReason(inner))) {
    return unavailableReason(errors[0]);
  }
  return undefined;
}

/** `error` as a `DatabaseUnavailableError` when it means the database is unavailable; else itself. */
export function toDatabaseError(error: unknown, options: { commitOutcome?: 'unknown' } = {}): unknown {
  if (GroundworkError.isInstance(error)) return error;
  // disk_full: the statement could not extend a file; nothing of it was written.
  if ((error as { code?: unknown } | null)?.code === '53100') return new StorageFullError({ cause: error });
  const reason = unavailableReason(error);
  return reason ? new DatabaseUnavailableError(reason, { cause: error, ...options }) : error;
}
