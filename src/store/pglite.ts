/**
 * @module store/pglite
 * Embedded Postgres (PGlite, WASM) with pgvector, in a data directory. PGlite runs one query at a time
 * and its files must have one owner, so opening first checks the directory is usable and takes its
 * OS file lock (store/data-dir-lock.ts), held until `close` or the end of the process.
 */
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { GroundworkError } from '../errors.ts';
import { logger } from '../observability/logger.ts';
import { readCapabilities } from './capabilities.ts';
import { dataDirError, prepareDataDir } from './data-dir.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import type { Database, QueryResult, SqlExecutor } from './database.ts';
import { toDatabaseError } from './database-errors.ts';

/** Options for the embedded database. */
export interface PgliteOptions {
  /** Data directory; `undefined` or `memory://` keeps everything in memory (tests, evaluations). */
  readonly dataDir?: string;
  /** Take over a lock whose holder stopped heart-beating long ago (GROUNDWORK_BREAK_STALE_LOCK=1). */
  readonly breakStaleLock?: boolean;
}

/** Opens (creating when needed) an embedded database. */
export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const inMemory = !options.dataDir || options.dataDir.startsWith('memory://');
  let releaseLock = () => {};
  let pgDir: string | undefined;
  // Set once the database is open; the lock may be lost only after that.
  let onLockLost = () => {};
  if (!inMemory && options.dataDir) {
    const dataDir = options.dataDir;
    prepareDataDir(dataDir, { embedded: true });
    let lock: ReturnType<typeof acquireDataDirLock>;
    try {
      lock = acquireDataDirLock(dataDir, {
        breakStale: options.breakStaleLock,
        onLost: () => onLockLost(),
        onUnguarded: (message) => logger.warn(message),
      });
    } catch (error) {
      throw GroundworkError.isInstance(error) ? error : dataDirError(dataDir, error);
    }
    // No exit hook is needed: the kernel releases the lock when the process ends, however it ends.
    releaseLock = () => lock.release();
    pgDir = path.join(dataDir, 'pg');
  }
  let db: PGlite;
  try {
    db = await PGlite.create(pgDir ?? 'memory://', {
      extensions: { vector },
      // Ids are bigserial; below 2^53 they are exact as numbers, which keeps every layer simpler.
      parsers: { [types.INT8]: (value: string) => Number(value) },
    });
    await db.exec('CREATE EXTENSION IF NOT EXISTS vector');
  } catch (error) {
    releaseLock();
    // A volume that filled up or turned read-only while the database was being created.
    if ((error as { name?: unknown })?.name === 'ErrnoError' && options.dataDir) {
      throw dataDirError(options.dataDir, error);
    }
    throw new GroundworkError({
      code: 'database_open_failed',
      category: 'system',
      message: `Could not open the embedded database in ${pgDir ?? 'memory'}: ${(error as Error).message}`,
      cause: error,
    });
  }
  onLockLost = () => {
    logger.error(
      `Another process took over the lock of ${options.dataDir}; the embedded database is closed here so ` +
        'that only one process writes to it.',
    );
    void db.close();
  };
  const capabilities = await readCapabilities(wrap(db));
  const query: SqlExecutor['query'] = (text, params) => run(db, text, params);
  // Embedded: no connection to lose, so nothing is re-run; a closed database is `database_unavailable`.
  const transaction: Database['transaction'] = async (fn) => {
    try {
      return await db.transaction((tx) => fn(wrap(tx)));
    } catch (error) {
      throw toDatabaseError(error);
    }
  };
  return {
    dialect: 'pglite',
    capabilities,
    query,
    // One engine in this process: there is no replica to read from.
    read: { query, transaction },
    transaction,
    exec: async (sql) => {
      try {
        await db.exec(sql);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    sizeBytes: async () => {
      const { rows } = await db.query<{ size: number }>(
        'SELECT pg_database_size(current_database()) AS size',
      );
      return Number(rows[0]?.size ?? 0);
    },
    close: async () => {
      try {
        if (!db.closed) await db.close();
      } finally {
        releaseLock();
      }
    },
  };
}

interface PgliteQueryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
}

function wrap(queryable: PgliteQueryable): SqlExecutor {
  return { query: (text, params) => run(queryable, text, params) };
}

async function run<R>(
  queryable: PgliteQueryable,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  try {
    const result = await queryable.query<R>(text, params ? [...params] : undefined);
    return { rows: result.rows, affectedRows: result.affectedRows };
  } catch (error) {
    throw toDatabaseError(error);
  }
}
