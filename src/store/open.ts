/**
 * @module store/open
 * Picks the engine: a Postgres server when a URL is given, embedded PGlite otherwise; then migrates
 * (on the primary only: a replica follows it).
 */
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres, type PostgresOptions } from './postgres.ts';

/** Where the database lives, and how to reach it. */
export interface StoreLocation {
  /** `postgres://…`; when set, the server is used. */
  readonly databaseUrl?: string;
  /** Embedded data directory, or `memory://`. */
  readonly dataDir?: string;
  /** Pool, timeouts and read replica of the server (the config's `database` section). */
  readonly server?: Omit<PostgresOptions, 'connectionString'>;
  /** Take over a stale embedded lock (GROUNDWORK_BREAK_STALE_LOCK=1). */
  readonly breakStaleLock?: boolean;
}

/** Opens and migrates the database. */
export async function openDatabase(location: StoreLocation): Promise<Database> {
  const db = location.databaseUrl
    ? await openPostgres({ ...location.server, connectionString: location.databaseUrl })
    : await openPglite({ dataDir: location.dataDir, breakStaleLock: location.breakStaleLock });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
