/**
 * @module store/pglite
 * Embedded Postgres (PGlite, WASM) with pgvector, in a data directory. PGlite runs one query at a time
 * and its files must have one owner, so opening first checks the directory is usable and takes its
 * OS file lock (store/data-dir-lock.ts), held until `close` or the end of the process. The engine of a
 * data directory runs in a worker thread of its own (store/pglite-thread.ts, ADR 0042), so a long
 * statement does not stop this thread's event loop.
 */
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
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
  /**
   * An in-memory database starts as a copy of this dump (see {@link dumpInMemoryDatabase}) instead
   * of an empty cluster: no initdb, and the migrations the dump holds are already applied. Default:
   * the one {@link useInMemoryTemplate} set, if any (the test suite sets one).
   */
  readonly template?: Blob;
}

/** The engine behind the port, on whichever thread it runs; errors are the driver's, unmapped. */
interface Engine {
  query<R>(text: string, params?: readonly unknown[]): Promise<QueryResult<R>>;
  exec(sql: string): Promise<void>;
  transaction<T>(fn: (tx: SqlExecutor) => Promise<T>): Promise<T>;
  readonly closed: boolean;
  close(): Promise<void>;
  /** The engine itself, when it runs on this thread. */
  readonly raw?: PGlite;
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
        : await openMainEngine(
            pgDir ?? 'memory://',
            inMemory ? (options.template ?? inMemoryTemplate) : undefined,
          );
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
  const database: Database = {
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
  if (engine.raw) MAIN_ENGINES.set(database, engine.raw);
  return database;
}

let inMemoryTemplate: Blob | undefined;

/**
 * Every in-memory database of this process opened without a `template` of its own starts from this
 * dump. Tests open hundreds of databases, and an empty cluster plus every migration costs each of
 * them seconds that a copy does not (src/testing/pglite-template.ts).
 */
export function useInMemoryTemplate(template: Blob | undefined): void {
  inMemoryTemplate = template;
}

/** The engines of in-memory databases opened on this thread, for {@link dumpInMemoryDatabase}. */
const MAIN_ENGINES = new WeakMap<Database, PGlite>();

/** A dump of an in-memory database opened on this thread, to start others from. */
export async function dumpInMemoryDatabase(db: Database): Promise<Blob> {
  const engine = MAIN_ENGINES.get(db);
  if (!engine) throw new Error('Only an in-memory database opened on this thread can be dumped.');
  return engine.dumpDataDir('none');
}

/** PGlite on this thread (in-memory databases of tests and evaluations). */
async function openMainEngine(pgDir: string, template?: Blob): Promise<Engine> {
  const db = await createPgliteEngine(pgDir, template);
  return {
    raw: db,
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
