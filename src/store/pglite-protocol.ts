/**
 * @module store/pglite-protocol
 * Messages between the main thread and the thread that owns an embedded database
 * (store/pglite-worker.ts). Every request carries an `id` its one reply repeats. Statements of an
 * interactive transaction carry the transaction's id; the others wait until it ends (PGlite has one
 * connection). Errors cross as plain objects, so the driver's `code`, `name` and SQLSTATE fields
 * survive the structured clone (which keeps only `message` and `stack` of an `Error`).
 */

/** What the worker is given when it starts. */
export interface PgliteWorkerData {
  /** The module to load (TypeScript in development, JavaScript in dist/). */
  readonly entry: string;
  /** `memory://`, or the PGlite directory (`<data dir>/pg`). */
  readonly pgDir: string;
}

export type PgliteRequest =
  | {
      readonly id: number;
      readonly op: 'query';
      readonly text: string;
      readonly params?: unknown[];
      readonly tx?: number;
    }
  | { readonly id: number; readonly op: 'exec'; readonly sql: string; readonly tx?: number }
  | { readonly id: number; readonly op: 'begin' }
  | { readonly id: number; readonly op: 'end'; readonly tx: number; readonly commit: boolean }
  | { readonly id: number; readonly op: 'close' };

export type PgliteReply =
  | {
      readonly id: number;
      readonly ok: true;
      readonly rows?: unknown[];
      readonly affectedRows?: number;
      readonly tx?: number;
    }
  | { readonly id: number; readonly ok: false; readonly error: SerializedError };

/** The first message of a worker: the database is open (or could not be opened). */
export type PgliteReady =
  | { readonly ready: true }
  | { readonly ready: false; readonly error: SerializedError };

/** An error's name, message, stack and own fields (SQLSTATE `code`, `detail`, WASI `errno`, …). */
export interface SerializedError {
  readonly name: string;
  readonly message: string;
  readonly stack?: string;
  readonly fields: Readonly<Record<string, string | number | boolean | undefined>>;
}

/** Captures an error for the other thread. */
export function serializeError(error: unknown): SerializedError {
  if (typeof error !== 'object' || error === null) {
    return { name: 'Error', message: String(error), fields: {} };
  }
  const fields: Record<string, string | number | boolean | undefined> = {};
  for (const [key, value] of Object.entries(error)) {
    if (['string', 'number', 'boolean'].includes(typeof value))
      fields[key] = value as string | number | boolean;
  }
  const { name, message, stack } = error as { name?: unknown; message?: unknown; stack?: unknown };
  return {
    name: typeof name === 'string' ? name : 'Error',
    message: typeof message === 'string' ? message : String(error),
    stack: typeof stack === 'string' ? stack : undefined,
    fields,
  };
}

/** An `Error` with the serialized name, message and fields, as the driver would have thrown it here. */
export function deserializeError(serialized: SerializedError): Error {
  const error = new Error(serialized.message);
  Object.assign(error, serialized.fields);
  // `name` is an own property after the assign when the driver set one; set it in any case.
  Object.defineProperty(error, 'name', { value: serialized.name, configurable: true, writable: true });
  if (serialized.stack) error.stack = serialized.stack;
  return error;
}
