/**
 * @module store/pglite
 * Embedded Postgres (PGlite, WASM) with pgvector, in a data directory. PGlite runs one query at a time
 * and its files must have one owner, so opening first checks the directory is usable and takes its
 * OS file lock (store/data-dir-lock.ts), held until `close` or the end of the process. The engine of a
 * data directory runs in a worker thread of its own (store/pglite-thread.ts, ADR 0042), so a long
 * statement does not stop this thread's event loop.
 */
import path from 'node:path';
import { GroundworkError } from '../errors.ts';
import { logger } from '../observability/logger.ts';
import { readCapabilities } from './capabilities.ts';
import { dataDirError, prepareDataDir } from './data-dir.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';
import type { Database, QueryResult, SqlExecutor } from './database.ts';
import { toDatabaseError } from './database-errors.ts';
import { createPgliteEngine } from './pglite-engine.ts';
import { PgliteThread } from './pglite-thread.ts';

/** Options for the embedded database. */
export interface PgliteOptions {
  /** Data directory; `undefined` or `memory://` keeps everything in memory (tests, evaluations). */
  readonly dataDir?: string;
  /** Take over a lock whose holder stopped heart-beating long ago (GROUNDWORK_BREAK_STALE_LOCK=1). */
  readonly breakStaleLock?: boolean;
  /**
   * Where the engine runs (ADR 0042). `worker`: a thread of its own, so no statement stalls the
   * event loop; always so for a data directory. `main`: this thread, for in-memory databases (tests,
   * evaluations), which open by the hundred and where a thread's start costs more than it saves.
   * Default: `worker` for a data directory, `main` in memory.
   */
  readonly thread?: 'worker' | 'main';
  /** V8 heap limit of the worker thread in MB (default: Node's). */
  readonly threadHeapMb?: number;
}

/** The engine behind the port, on whichever thread it runs; errors are the driver's, unmapped. */
interface Engine {
  query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  readonly closed: boolean;
  close(): Promise<void>;
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
      // The lock is the process's (an open file description), so it is taken here, not in the thread.
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
  // A data directory always gets its own thread: production must never run statements on the main one.
  const thread = !inMemory ? 'worker' : (options.thread ?? 'main');
  let engine: Engine;
  try {
    engine =
      thread === 'worker'
        ? await openThreadEngine(pgDir ?? 'memory://', options.threadHeapMb)
        : await openMainEngine(pgDir ?? 'memory://');
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
    void engine.close().catch(() => {});
  };
  const query: SqlExecutor['query'] = async (text, params) => {
    try {
      return await engine.query(text, params);
    } catch (error) {
      throw toDatabaseError(error);
    }
  };
  // Embedded: no connection to lose, so nothing is re-run; a closed database is `database_unavailable`.
  const transaction: Database['transaction'] = async (fn) => {
    try {
      return await engine.transaction(fn);
    } catch (error) {
      throw toDatabaseError(error);
    }
  };
  const capabilities = await readCapabilities({ query });
  return {
    dialect: 'pglite',
    capabilities,
    query,
    // One engine in this process: there is no replica to read from.
    read: { query, transaction },
    transaction,
    exec: async (sql) => {
      try {
        await engine.exec(sql);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
    sizeBytes: async () => {
      const { rows } = await query<{ size: number }>('SELECT pg_database_size(current_database()) AS size');
      return Number(rows[0]?.size ?? 0);
    },
    close: async () => {
      try {
        if (!engine.closed) await engine.close();
      } finally {
        releaseLock();
      }
    },
  };
}

/** PGlite on this thread (in-memory databases of tests and evaluations). */
async function openMainEngine(pgDir: string): Promise<Engine> {
  const db = await createPgliteEngine(pgDir);
  return {
    query: (text, params) => run(db, text, params),
    exec: async (sql) => {
      await db.exec(sql);
    },
    transaction: (fn) => db.transaction((tx) => fn(wrap(tx))),
    get closed() {
      return db.closed;
    },
    close: () => db.close(),
  };
}

/** PGlite in a worker thread of its own (store/pglite-thread.ts). */
async function openThreadEngine(pgDir: string, heapMb: number | undefined): Promise<Engine> {
  const thread = await PgliteThread.start({ pgDir, heapMb });
  return {
    query: (text, params) => thread.query(text, params),
    exec: (sql) => thread.exec(sql),
    transaction: (fn) => thread.transaction(fn, toDatabaseError),
    get closed() {
      return thread.closed;
    },
    close: () => thread.close(),
  };
}

interface PgliteQueryable {
  query<R>(text: string, params?: unknown[]): Promise<{ rows: R[]; affectedRows?: number }>;
}

function wrap(queryable: PgliteQueryable): SqlExecutor {
  return {
    query: async (text, params) => {
      try {
        return await run(queryable, text, params);
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
  };
}

async function run<R>(
  queryable: PgliteQueryable,
  text: string,
  params?: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await queryable.query<R>(text, params ? [...params] : undefined);
  return { rows: result.rows, affectedRows: result.affectedRows };
}
