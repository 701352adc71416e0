/**
 * @module errors
 * One base error for the whole product. Each error has a stable machine-readable `code` (what an API
 * client or a job report keys on), a `kind` that says what went wrong in general (the HTTP status is a
 * lookup on it at the edge, server/http-error.ts), a `category` that separates the caller's mistakes
 * from our faults, and a `retryable` hint. Errors become HTTP responses only at the edge (server).
 */

const MARKER = Symbol.for('groundwork.error');

/** Who is at fault: the caller (bad input, misconfiguration) or the system (a bug, an outage). */
export type ErrorCategory = 'user' | 'system';

/**
 * What went wrong, in general; the code says exactly what. The caller's: `invalid` (change the
 * request), `unauthorized`, `forbidden`, `not-found`, `conflict` (the state does not allow it now),
 * `too-large`, `unsupported-media`, `refused` (understood and declined, e.g. a guardrail), `limited`
 * (a quota or budget; wait). Ours or a dependency's: `internal`, `upstream-failed` (a model or service
 * we call failed), `unavailable` (try again shortly), `timeout`, `storage-full`.
 */
export type ErrorKind =
  | 'invalid'
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'conflict'
  | 'too-large'
  | 'unsupported-media'
  | 'refused'
  | 'limited'
  | 'internal'
  | 'upstream-failed'
  | 'unavailable'
  | 'timeout'
  | 'storage-full';

export interface GroundworkErrorOptions {
  readonly code: string;
  readonly message: string;
  readonly category?: ErrorCategory;
  /** Default: `invalid` for the caller's errors, `internal` for the system's. */
  readonly kind?: ErrorKind;
  readonly retryable?: boolean;
  readonly cause?: unknown;
  /** Extra facts for logs and API bodies; never secrets. */
  readonly details?: Readonly<Record<string, unknown>>;
}

/** Base class of every error the product raises on purpose. */
export class GroundworkError extends Error {
  protected readonly [MARKER] = true;
  readonly code: string;
  readonly category: ErrorCategory;
  readonly kind: ErrorKind;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(options: GroundworkErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'GroundworkError';
    this.code = options.code;
    this.category = options.category ?? 'user';
    this.kind = options.kind ?? (this.category === 'user' ? 'invalid' : 'internal');
    this.retryable = options.retryable ?? false;
    this.details = options.details ?? {};
  }

  /** `instanceof` that also works across duplicated package copies. */
  static isInstance(error: unknown): error is GroundworkError {
    return typeof error === 'object' && error !== null && MARKER in error;
  }
}

/** A file or record that could not be ingested; the job records it and carries on. */
export class IngestError extends GroundworkError {
  constructor(
    code: IngestErrorCode,
    message: string,
    options: { cause?: unknown; retryable?: boolean } = {},
  ) {
    super({
      code,
      message,
      category: 'user',
      kind: code === 'not_found' ? 'not-found' : 'invalid',
      ...options,
    });
    this.name = 'IngestError';
  }
}

/** Stable codes of per-file ingestion failures. */
export type IngestErrorCode =
  | 'unsupported_type'
  | 'empty_file'
  | 'too_large'
  | 'encrypted'
  | 'corrupt'
  | 'timeout'
  | 'limit_exceeded'
  | 'no_text'
  | 'path_not_allowed'
  | 'path_changed'
  | 'url_not_allowed'
  | 'invalid_item'
  | 'not_found'
  | 'fetch_failed'
  | 'embedding_failed';

/** Configuration that cannot work; raised at start-up, before any write. */
export class ConfigError extends GroundworkError {
  constructor(message: string, details?: Record<string, unknown>) {
    super({ code: 'invalid_config', message, category: 'user', details });
    this.name = 'ConfigError';
  }
}

/** A request the caller must change (bad arguments; `kind` says when it is more than that). */
export class InvalidRequestError extends GroundworkError {
  constructor(code: string, message: string, details?: Record<string, unknown>, kind: ErrorKind = 'invalid') {
    super({ code, message, category: 'user', kind, details });
    this.name = 'InvalidRequestError';
  }
}

/** Something the request names does not exist (or is another tenant's): HTTP 404. */
export class NotFoundError extends InvalidRequestError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details, 'not-found');
    this.name = 'NotFoundError';
  }
}

/** The current state does not allow the request (already claimed, revoked, held by a person): 409. */
export class ConflictError extends InvalidRequestError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details, 'conflict');
    this.name = 'ConflictError';
  }
}

/** The request is over a size or count limit (body, files, fields): 413. */
export class TooLargeError extends InvalidRequestError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details, 'too-large');
    this.name = 'TooLargeError';
  }
}

/** The body is not in a format the route takes: 415. */
export class UnsupportedMediaError extends InvalidRequestError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details, 'unsupported-media');
    this.name = 'UnsupportedMediaError';
  }
}

/** The caller is known but may not do this: 403. */
export class ForbiddenError extends InvalidRequestError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super(code, message, details, 'forbidden');
    this.name = 'ForbiddenError';
  }
}

/** Why the database could not serve a request (for logs; clients see only the code). */
export type DatabaseUnavailableReason =
  | 'connection_lost'
  | 'connection_refused'
  | 'pool_timeout'
  | 'server_shutting_down'
  | 'statement_timeout'
  | 'closed';

/** Seconds a client is told to wait (`Retry-After`) when the database is unavailable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** What clients are told when the database is unavailable (the reason stays in the logs). */
export const DATABASE_UNAVAILABLE_MESSAGE = 'The database is unavailable; try again shortly.';

/**
 * The database cannot serve the request right now: a lost or refused connection, a server shutting
 * down or starting, a pool with no free connection, a statement past its timeout, a closed embedded
 * database. An expected, temporary condition (HTTP 503 `database_unavailable` with `Retry-After`),
 * never a crash. `details.commitOutcome` is `unknown` when the connection died after COMMIT was sent.
 */
export class DatabaseUnavailableError extends GroundworkError {
  /** What to put in `Retry-After`. */
  readonly retryAfterSeconds: number;

  constructor(
    reason: DatabaseUnavailableReason,
    options: { cause?: unknown; commitOutcome?: 'unknown'; retryAfterSeconds?: number } = {},
  ) {
    super({
      code: 'database_unavailable',
      category: 'system',
      kind: 'unavailable',
      retryable: true,
      message: `The database is unavailable (${reason.replaceAll('_', ' ')}); try again shortly.`,
      cause: options.cause,
      details: { reason, ...(options.commitOutcome ? { commitOutcome: options.commitOutcome } : {}) },
    });
    this.name = 'DatabaseUnavailableError';
    this.retryAfterSeconds = options.retryAfterSeconds ?? DATABASE_RETRY_AFTER_SECONDS;
  }
}

/**
 * The `database_unavailable` error in `error` or its chain of causes (a layer may have wrapped it),
 * or undefined. Works across package copies, like `GroundworkError.isInstance`.
 */
export function findDatabaseUnavailable(error: unknown): GroundworkError | undefined {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (GroundworkError.isInstance(current) && current.code === 'database_unavailable') return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Seconds a client is told to wait (`Retry-After`) when the search engine is unavailable. */
export const SEARCH_ENGINE_RETRY_AFTER_SECONDS = 5;

/** What clients are told when the search engine is unavailable (the reason stays in the logs). */
export const SEARCH_ENGINE_UNAVAILABLE_MESSAGE = 'The search engine is unavailable; try again shortly.';

/**
 * The external search engine (Elasticsearch/OpenSearch, ADR 0044) did not answer in time, refused the
 * connection, failed, or answered only in part (a timed-out or failed shard): HTTP 503
 * `search_engine_unavailable` with `Retry-After`. A partial answer is never passed on as a top k.
 */
export class SearchEngineUnavailableError extends GroundworkError {
  readonly retryAfterSeconds = SEARCH_ENGINE_RETRY_AFTER_SECONDS;

  constructor(reason: string, options: { cause?: unknown } = {}) {
    super({
      code: 'search_engine_unavailable',
      category: 'system',
      kind: 'unavailable',
      retryable: true,
      message: `The search engine is unavailable (${reason}); try again shortly.`,
      cause: options.cause,
      details: { reason },
    });
    this.name = 'SearchEngineUnavailableError';
  }
}

/** Errors of a full disk or quota: the file system's (ENOSPC, EDQUOT) and Postgres's `disk_full`. */
const STORAGE_FULL_CODES = new Set(['ENOSPC', 'EDQUOT', '53100']);

/**
 * The disk that holds the database, the blobs or the staging files is full: nothing was stored, and
 * the request can be sent again once space is freed (HTTP 507 `insufficient_storage`).
 */
export class StorageFullError extends GroundworkError {
  constructor(options: { cause?: unknown } = {}) {
    super({
      code: 'insufficient_storage',
      category: 'system',
      kind: 'storage-full',
      retryable: true,
      message: 'The server is out of disk space; nothing was stored. Try again once space is freed.',
      cause: options.cause,
    });
    this.name = 'StorageFullError';
  }
}

/** The full-disk error in `error` or its causes (typed, or a raw errno / SQLSTATE), or undefined. */
export function findStorageFull(error: unknown): unknown {
  for (let current = error, depth = 0; current && depth < 8; depth++) {
    if (GroundworkError.isInstance(current) && current.code === 'insufficient_storage') return current;
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && STORAGE_FULL_CODES.has(code)) return current;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Short human-readable form of any thrown value, for job reports and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
