/**
 * @module store/open
 * Picks the engine: a Postgres server when a URL is given, embedded PGlite otherwise; then migrates.
 */
import type { Database } from './database.ts';
import { migrate } from './migrate.ts';
import { openPglite } from './pglite.ts';
import { openPostgres } from './postgres.ts';

/** Where the database lives. */
export interface StoreLocation {
  /** `postgres://…`; when set, the server is used. */
  readonly databaseUrl?: string;
  /** Embedded data directory, or `memory://`. */
  readonly dataDir?: string;
}

/** Opens and migrates the database. */
export async function openDatabase(location: StoreLocation): Promise<Database> {
  const db = location.databaseUrl
    ? await openPostgres({ connectionString: location.databaseUrl })
    : await openPglite({ dataDir: location.dataDir });
  try {
    await migrate(db);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
