/**
 * @module testing/databases
 * The databases every store test runs against: embedded PGlite always, and a real Postgres server with
 * pgvector when `GROUNDWORK_TEST_DATABASE_URL` points to one (CI starts it; see .ci/run). Each call
 * gets a fresh, migrated, empty database, dropped again by `close`.
 */
import pg from 'pg';
import type { Database } from '../store/database.ts';
import { openDatabase } from '../store/open.ts';

/** A backend to run a suite against. */
export interface TestBackend {
  readonly name: 'pglite' | 'postgres';
  open(): Promise<Database>;
}

/** The backends available here. On CI a missing server is an error, not a silent skip. */
export function testBackends(): TestBackend[] {
  const url = process.env.GROUNDWORK_TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error(
      'CI must test against a Postgres server: set GROUNDWORK_TEST_DATABASE_URL (.ci/run does).',
    );
  }
  const backends: TestBackend[] = [{ name: 'pglite', open: () => openDatabase({ dataDir: 'memory://' }) }];
  if (url) backends.push({ name: 'postgres', open: () => openScratchDatabase(url) });
  return backends;
}

/** Creates a uniquely named database on the server, migrated; `close` drops it. */
async function openScratchDatabase(adminUrl: string): Promise<Database> {
  const scratch = await createScratchDatabase(adminUrl);
  const db = await openDatabase({ databaseUrl: scratch.url });
  return {
    ...db,
    close: async () => {
      await db.close();
      await scratch.drop();
    },
  };
}

/** An empty, uniquely named database on the server (not migrated): its URL, and `drop`. */
export async function createScratchDatabase(
  adminUrl: string,
): Promise<{ readonly url: string; drop(): Promise<void> }> {
  const name = `gw_test_${process.pid}_${Math.random().toString(36).slice(2, 10)}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: adminUrl });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  };
}
