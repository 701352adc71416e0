/**
 * @module store/postgres
 * A Postgres server with pgvector through node-postgres, for production and scale-out: the API and
 * the ingestion workers are stateless and share this database.
 */
import pg from 'pg';
import { GroundworkError } from '../errors.ts';
import { readCapabilities } from './capabilities.ts';
import type { Database, QueryResult, SqlExecutor } from './database.ts';

/** Options for a server connection. */
export interface PostgresOptions {
  readonly connectionString: string;
  /** Pool size; defaults to 10. */
  readonly maxConnections?: number;
}

const INT8_OID = 20;

/** Connects to a Postgres server and makes sure pgvector is installed. */
export async function openPostgres(options: PostgresOptions): Promise<Database> {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.maxConnections ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  });
  // An idle client that loses its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
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
  const executor: SqlExecutor = { query: (text, params) => run(pool, text, params) };
  const capabilities = await readCapabilities(executor);
  return {
    dialect: 'postgres',
    capabilities,
    query: executor.query,
    transaction: async (fn) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const result = await fn({ query: (text, params) => run(client, text, params) });
        await client.query('COMMIT');
        return result;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    exec: async (sql) => {
      await pool.query(sql);
    },
    sizeBytes: async () => {
      const { rows } = await pool.query<{ size: string }>(
        'SELECT pg_database_size(current_database()) AS size',
      );
      return Number(rows[0]?.size ?? 0);
    },
    close: () => pool.end(),
  };
}

interface PgQueryable {
  query(text: string, params?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

async function run<R>(
  queryable: PgQueryable,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await queryable.query(text, params ? [...params] : undefined);
  return { rows: result.rows as R[], affectedRows: result.rowCount ?? undefined };
}

/** Hides the password in a connection string for messages. */
function redact(connectionString: string): string {
  return connectionString.replace(/(\/\/[^:/@]+:)[^@]*@/, '$1***@');
}
