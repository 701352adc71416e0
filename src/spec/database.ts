/**
 * @module spec/database
 * The database port: the small structural subset of a Postgres client the product uses, so the same
 * SQL runs on embedded PGlite and on a Postgres server (node-postgres) without either driver's types
 * leaking upward. Only `src/store`, the domain services that own tables and the composition root hold
 * one; HTTP routes and CLI commands reach data through services.
 */

/** Result of one statement. */
export interface QueryResult<R> {
  readonly rows: R[];
  /** Rows inserted, updated or deleted, where the driver reports it. */
  readonly affectedRows?: number;
}

/** Anything that can run a parameterised statement: the database or an open transaction. */
export interface SqlExecutor {
  query<R = Record<string, unknown>>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
}

/**
 * Read-only statements and transactions, which a read replica may serve. A read transaction exists
 * for `SET LOCAL` settings (e.g. `hnsw.ef_search`); it must not write.
 */
export interface ReadExecutor extends SqlExecutor {
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
}

/** What differs between the engines, discovered when the database opens. */
export interface DatabaseCapabilities {
  /** pgvector ≥ 0.8 can keep scanning an HNSW index until filtered results fill the limit. */
  readonly hnswIterativeScan: boolean;
  readonly pgvectorVersion: string;
  readonly serverVersion: string;
}

/** How a transaction may be run. */
export interface TransactionOptions {
  /**
   * `fn` may run again when the connection is lost before COMMIT was sent: it does nothing outside
   * the database that must not happen twice, and inside it only what the rolled-back attempt undid.
   * A COMMIT whose outcome is unknown (the connection died after it was sent) is never re-run; it
   * fails with `database_unavailable` and `details.commitOutcome: 'unknown'`.
   */
  readonly idempotent?: boolean;
}

/**
 * An open database. Every method fails with `DatabaseUnavailableError` (`database_unavailable`) when
 * the database cannot be reached or is shutting down, and with the driver's error for bad SQL.
 */
export interface Database extends SqlExecutor {
  readonly dialect: 'pglite' | 'postgres';
  readonly capabilities: DatabaseCapabilities;
  /**
   * Read-only statements that may be served by a read replica (search, listings, traces, usage):
   * the replica when one is configured and answers, the primary otherwise. What is read may lag the
   * primary by the replica's delay, so a read that must see the caller's own write uses `query`.
   */
  readonly read: ReadExecutor;
  /** Runs `fn` in a transaction; commits when it resolves, rolls back when it throws. */
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>, options?: TransactionOptions): Promise<T>;
  /** Runs several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Size of the database on disk, in bytes. */
  sizeBytes(): Promise<number>;
  close(): Promise<void>;
}
