/**
 * @module store/postgres
 * A Postgres server with pgvector through node-postgres, for production and scale-out: the API and
 * the ingestion workers are stateless and share this database. Connection loss is expected (a
 * restart, a failover, a terminated backend): see store/postgres-session.ts. With `replicaUrl`,
 * `read` goes to a read replica and falls back to the primary while the replica is down.
 */
import pg from 'pg';
import { GroundworkError } from '../errors.ts';
import { logger } from '../observability/logger.ts';
import { readCapabilities } from './capabilities.ts';
import type { Database, ReadExecutor, SqlExecutor } from './database.ts';
import { runStatement, runTransaction } from './postgres-session.ts';
import { createReadRouter } from './read-router.ts';

/** Options for a server connection; the defaults are those of `database` in the config. */
export interface PostgresOptions {
  readonly connectionString: string;
  /** Connections this process keeps at most (per pool: the replica has its own). Default 10. */
  readonly poolSize?: number;
  /** The server cancels a statement that runs longer (0: never). Default 60 s. */
  readonly statementTimeoutMs?: number;
  /** How long to wait for a connection (a new one, or a free one from a full pool). Default 5 s. */
  readonly connectionTimeoutMs?: number;
  /** An idle connection is closed after this long. Default 30 s. */
  readonly idleTimeoutMs?: number;
  /** A read replica (streaming replica, or a read-only endpoint) for `read`. */
  readonly replicaUrl?: string;
  /** How long a replica that failed is skipped before it is tried again. Default 5 s. */
  readonly replicaRetryMs?: number;
}

/** The pool defaults (also the config's). */
export const POSTGRES_DEFAULTS = {
  poolSize: 10,
  statementTimeoutMs: 60_000,
  connectionTimeoutMs: 5_000,
  idleTimeoutMs: 30_000,
} as const;

const INT8_OID = 20;

/** Connects to a Postgres server and makes sure pgvector is installed. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = createPool(options.connectionString, options, 'primary');
  try {
    await pool.query('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    await pool.end();
    throw new GroundworkError({
      code: 'database_open_failed',
      category: 'system',
      message:
        `Could not use the Postgres server at ${redact(options.connectionString)}: ${(error as Error).message}. ` +
        'Check DATABASE_URL and that the pgvector extension is available on the server.',
      cause: error,
    });
  }
  const primary: SqlExecutor = {
    query: (text, params) => runStatement(pool, text, params, { readOnly: false }),
  };
  const capabilities = await readCapabilities(primary);
  const replicaPool = options.replicaUrl ? createPool(options.replicaUrl, options, 'replica') : undefined;
  const readFrom = (from: pg.Pool): ReadExecutor => ({
    query: (text, params) => runStatement(from, text, params, { readOnly: true }),
    // Reading twice changes nothing, so a read transaction is re-run after a lost connection.
    transaction: (fn) => runTransaction(from, fn, { idempotent: true }),
  });
  const read = replicaPool
    ? createReadRouter({
        replica: readFrom(replicaPool),
        primary: readFrom(pool),
        retryAfterMs: options.replicaRetryMs,
        onFallback: (error) =>
          logger.warn({ err: error }, 'The read replica is unavailable; reading from the primary meanwhile.'),
      })
    : readFrom(pool);
  return {
    dialect: 'postgres',
    capabilities,
    query: primary.query,
    read,
    transaction: (fn, transactionOptions) => runTransaction(pool, fn, transactionOptions),
    exec: async (sql) => {
      await runStatement(pool, sql, undefined, { readOnly: false });
    },
    sizeBytes: async () => {
      const { rows } = await primary.query<{ size: string }>(
        'SELECT pg_database_size(current_database()) AS size',
      );
      return Number(rows[0]?.size ?? 0);
    },
    close: async () => {
      await Promise.all([pool.end(), replicaPool?.end()]);
    },
  };
}

function createPool(connectionString: string, options: PostgresOptions, role: string): pg.Pool {
  const statementTimeout = options.statementTimeoutMs ?? POSTGRES_DEFAULTS.statementTimeoutMs;
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? POSTGRES_DEFAULTS.poolSize,
    connectionTimeoutMillis: options.connectionTimeoutMs ?? POSTGRES_DEFAULTS.connectionTimeoutMs,
    idleTimeoutMillis: options.idleTimeoutMs ?? POSTGRES_DEFAULTS.idleTimeoutMs,
    // The server enforces it, so a runaway statement stops holding its locks and its connection.
    ...(statementTimeout > 0 ? { statement_timeout: statementTimeout } : {}),
    // Half-open connections (a host gone without a reset) are noticed instead of waited on forever.
    keepAlive: true,
    application_name: `groundwork-${role}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the pool drops it and the
  // next query opens a new connection.
  pool.on('error', (error) => logger.warn({ err: error, role }, 'An idle database connection was lost.'));
  return pool;
}

/** Hides the password in a connection string for messages. */
function redact(connectionString: string): string {
  return connectionString.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
