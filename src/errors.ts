/**
 * @module errors
 * One base error for the whole product. Each error has a stable machine-readable `code` (what an API
 * client or a job report keys on), a `category` that separates the caller's mistakes from our faults,
 * and a `retryable` hint. Errors become HTTP responses only at the edge (server).
 */

const MARKER = Symbol.for('groundwork.error');

/** Who is at fault: the caller (bad input, misconfiguration) or the system (a bug, an outage). */
export type ErrorCategory = 'user' | 'system';

export interface GroundworkErrorOptions {
  readonly code: string;
  readonly message: string;
  readonly category?: ErrorCategory;
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
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(options: GroundworkErrorOptions) {
    super(options.message, { cause: options.cause });
    this.name = 'GroundworkError';
    this.code = options.code;
    this.category = options.category ?? 'user';
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
    super({ code, message, category: 'user', ...options });
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

/** A request the caller must change (bad arguments, unknown ids). */
export class InvalidRequestError extends GroundworkError {
  constructor(code: string, message: string, details?: Record<string, unknown>) {
    super({ code, message, category: 'user', details });
    this.name = 'InvalidRequestError';
  }
}

/** Short human-readable form of any thrown value, for job reports and logs. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
