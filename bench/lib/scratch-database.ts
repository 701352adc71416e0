/**
 * @module bench/lib/scratch-database
 * A fresh, migrated database for one benchmark run: a new PGlite data directory (or in memory), or a
 * uniquely named database on a Postgres server that is dropped afterwards.
 */
import pg from 'pg';
import type { Database } from '../../src/store/database.ts';
import { openDatabase } from '../../src/store/open.ts';

/** Opens a scratch database; `drop` closes and removes it. */
export async function openScratchDatabase(
  backend: string,
  options: { url?: string; dataDir?: string },
): Promise<{ db: Database; drop: () => Promise<void>; url?: string }> {
  if (backend === 'pglite') {
    const db = await openDatabase({ dataDir: options.dataDir ?? 'memory://' });
    return { db, drop: () => db.close() };
  }
  if (backend !== 'postgres') throw new Error(`--backend must be pglite or postgres, not ${backend}`);
  if (!options.url)
    throw new Error('--url (or GROUNDWORK_BENCH_DATABASE_URL) is required for --backend postgres');
  const name = `gw_bench_${process.pid}_${Date.now()}`;
  const admin = new pg.Client({ connectionString: options.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(options.url);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString() });
  return {
    db,
    url: url.toString(),
    drop: async () => {
      await db.close();
      const cleanup = new pg.Client({ connectionString: options.url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
