/**
 * @module store/pglite
 * Embedded Postgres (PGlite, WASM) with pgvector, in a data directory. PGlite runs one query at a time
 * and its files must have one owner, so opening takes a lock file naming the owning process.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite, types } from '@electric-sql/pglite';
import { vector } from '@electric-sql/pglite-pgvector';
import { GroundworkError } from '../errors.ts';
import { isProcessAlive } from '../os/process-alive.ts';
import { readCapabilities } from './capabilities.ts';
import type { Database, QueryResult, SqlExecutor } from './database.ts';
import { toDatabaseError } from './database-errors.ts';

/** Options for the embedded database. */
export interface PgliteOptions {
  /** Data directory; `undefined` or `memory://` keeps everything in memory (tests, evaluations). */
  readonly dataDir?: string;
}

const LOCK_FILE = 'groundwork.lock';

/** Opens (creating when needed) an embedded database. */
export async function openPglite(options: PgliteOptions = {}): Promise<Database> {
  const inMemory = !options.dataDir || options.dataDir.startsWith('memory://');
  let releaseLock = () => {};
  let pgDir: string | undefined;
  if (!inMemory && options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    releaseLock = acquireLock(options.dataDir);
    pgDir = path.join(options.dataDir, 'pg');
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
    throw new GroundworkError({
      code: 'database_open_failed',
      category: 'system',
      message: `Could not open the embedded database in ${pgDir ?? 'memory'}: ${(error as Error).message}`,
      cause: error,
    });
  }
  const capabilities = await readCapabilities(wrap(db));
  const query: SqlExecutor['query'] = (text, params) => run(db, text, params);
  return {
    dialect: 'pglite',
    capabilities,
    query,
    // One engine in this process: there is no replica to read from.
    read: { query },
    // Embedded: no connection to lose, so nothing is re-run; a closed database is `database_unavailable`.
    transaction: async (fn) => {
      try {
        return await db.transaction((tx) => fn(wrap(tx)));
      } catch (error) {
        throw toDatabaseError(error);
      }
    },
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
      await db.close();
      releaseLock();
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

/** Takes the data directory's lock, or explains who holds it. Returns the release function. */
function acquireLock(dataDir: string): () => void {
  const lockPath = path.join(dataDir, LOCK_FILE);
  try {
    const holder = Number.parseInt(readFileSync(lockPath, 'utf8'), 10);
    if (holder && holder !== process.pid && isProcessAlive(holder)) {
      throw new GroundworkError({
        code: 'data_dir_locked',
        message:
          `The data directory ${dataDir} is in use by process ${holder} (a running groundwork server?). ` +
          'Stop that process, or point GROUNDWORK_DATA_DIR elsewhere.',
      });
    }
  } catch (error) {
    if (GroundworkError.isInstance(error)) throw error;
    // No lock file yet, or an unreadable one: take it.
  }
  writeFileSync(lockPath, String(process.pid));
  const release = () => {
    try {
      if (readFileSync(lockPath, 'utf8') === String(process.pid)) rmSync(lockPath);
    } catch {
      // Already gone.
    }
  };
  process.once('exit', release);
  return release;
}
