/**
 * @module store/migrate
 * Forward-only migrations, each in its own transaction, recorded in `schema_migrations`. On a server
 * an advisory lock makes concurrent starts (several workers) apply each migration once.
 */
import type { Database } from './database.ts';
import { MIGRATION_001 } from './migrations/001-knowledge-base.ts';
import { MIGRATION_002 } from './migrations/002-conversations.ts';
import { MIGRATION_003 } from './migrations/003-api-keys.ts';
import { MIGRATION_004 } from './migrations/004-traces.ts';
import { MIGRATION_005 } from './migrations/005-llmops.ts';
import { MIGRATION_006 } from './migrations/006-agent-runs.ts';
import { MIGRATION_007 } from './migrations/007-agent-services.ts';

interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

/** All migrations, in order. Never edit one that has shipped; add a new one. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'knowledge-base', sql: MIGRATION_001 },
  { version: 2, name: 'conversations', sql: MIGRATION_002 },
  { version: 3, name: 'api-keys', sql: MIGRATION_003 },
  { version: 4, name: 'traces', sql: MIGRATION_004 },
  { version: 5, name: 'llmops', sql: MIGRATION_005 },
  { version: 6, name: 'agent-runs', sql: MIGRATION_006 },
  { version: 7, name: 'agent-services', sql: MIGRATION_007 },
];

const LOCK_KEY = 4_247_001;

/** Applies pending migrations; returns the versions applied. */
export async function migrate(db: Database): Promise<number[]> {
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    const didApply = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const { rows } = await tx.query('SELECT 1 FROM schema_migrations WHERE version = $1', [
        migration.version,
      ]);
      if (rows.length > 0) return false;
      for (const statement of splitStatements(migration.sql)) await tx.query(statement);
      await tx.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (didApply) applied.push(migration.version);
  }
  return applied;
}

/** Splits a migration into statements (ours contain no semicolons inside literals or bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
