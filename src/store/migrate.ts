/**
 * @module store/migrate
 * Forward-only migrations, each in its own transaction, recorded in `schema_migrations`. On a server
 * an advisory lock makes concurrent starts (several workers) apply each migration once. Apps that keep
 * their own tables in the same database (apps/support) pass their own list, table and lock key.
 */
import { ConfigError } from '../errors.ts';
import type { Database } from './database.ts';
import { MIGRATION_001 } from './migrations/001-knowledge-base.ts';
import { MIGRATION_002 } from './migrations/002-conversations.ts';
import { MIGRATION_003 } from './migrations/003-api-keys.ts';
import { MIGRATION_004 } from './migrations/004-traces.ts';
import { MIGRATION_005 } from './migrations/005-llmops.ts';
import { MIGRATION_006 } from './migrations/006-agent-runs.ts';
import { MIGRATION_007 } from './migrations/007-agent-services.ts';
import { MIGRATION_008 } from './migrations/008-conversation-owner.ts';
import { MIGRATION_009 } from './migrations/009-key-scope-and-quotas.ts';
import { MIGRATION_010 } from './migrations/010-customer-sessions.ts';
import { MIGRATION_011 } from './migrations/011-knowledge-generations.ts';
import { MIGRATION_012 } from './migrations/012-access-set-statistics.ts';
import { MIGRATION_013 } from './migrations/013-session-issuing-key.ts';
import { MIGRATION_015 } from './migrations/015-job-fencing.ts';
import { MIGRATION_016 } from './migrations/016-feedback-per-rater.ts';
import { MIGRATION_017 } from './migrations/017-upload-blobs.ts';
import { MIGRATION_019 } from './migrations/019-guardrail-settings.ts';
import { MIGRATION_024 } from './migrations/024-prompt-generation-settings.ts';
import { MIGRATION_025 } from './migrations/025-pending-actions.ts';
import { MIGRATION_028 } from './migrations/028-sources.ts';

/** One forward-only migration. */
export interface Migration {
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
  { version: 8, name: 'conversation-owner', sql: MIGRATION_008 },
  { version: 9, name: 'key-scope-and-quotas', sql: MIGRATION_009 },
  { version: 10, name: 'customer-sessions', sql: MIGRATION_010 },
  { version: 11, name: 'knowledge-generations', sql: MIGRATION_011 },
  { version: 12, name: 'access-set-statistics', sql: MIGRATION_012 },
  { version: 13, name: 'session-issuing-key', sql: MIGRATION_013 },
  { version: 15, name: 'job-fencing', sql: MIGRATION_015 },
  { version: 16, name: 'feedback-per-rater', sql: MIGRATION_016 },
  { version: 17, name: 'upload-blobs', sql: MIGRATION_017 },
  { version: 19, name: 'guardrail-settings', sql: MIGRATION_019 },
  { version: 24, name: 'prompt-generation-settings', sql: MIGRATION_024 },
  { version: 25, name: 'pending-actions', sql: MIGRATION_025 },
  { version: 28, name: 'sources', sql: MIGRATION_028 },
];

const LOCK_KEY = 4_247_001;

/** Where a migration list is recorded; defaults are the product's own. */
export interface MigrationTarget {
  /** Table recording applied versions (a plain identifier); default `schema_migrations`. */
  readonly table?: string;
  /** Advisory lock serialising concurrent starts; give each list its own. */
  readonly lockKey?: number;
}

/** Applies pending migrations (the product's by default); returns the versions applied. */
export async function migrate(
  db: Database,
  migrations: readonly Migration[] = MIGRATIONS,
  target: MigrationTarget = {},
): Promise<number[]> {
  const table = target.table ?? 'schema_migrations';
  const lockKey = target.lockKey ?? LOCK_KEY;
  // The name is interpolated into SQL, so only plain identifiers are accepted.
  if (!/^[a-z_][a-z0-9_]*$/.test(table)) throw new ConfigError(`Invalid migrations table name "${table}".`);
  // Most starts find every migration applied: one read answers that, without a write or a lock
  // (on the embedded engine each transaction below is a commit to disk).
  const pending = await pendingMigrations(db, migrations, table);
  if (pending.length === 0) return [];
  await db.exec(`CREATE TABLE IF NOT EXISTS ${table} (
    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: number[] = [];
  for (const migration of pending) {
    // Re-run safely after a lost connection: the version check is inside the transaction.
    const didApply = await db.transaction(
      async (tx) => {
        // Building an index on a big table, or waiting for another process's migration, may take
        // longer than the statement timeout that guards ordinary requests.
        await tx.query('SET LOCAL statement_timeout = 0');
        await tx.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
        const { rows } = await tx.query(`SELECT 1 FROM ${table} WHERE version = $1`, [migration.version]);
        if (rows.length > 0) return false;
        for (const statement of splitStatements(migration.sql)) await tx.query(statement);
        await tx.query(`INSERT INTO ${table} (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
        return true;
      },
      { idempotent: true },
    );
    if (didApply) applied.push(migration.version);
  }
  return applied;
}

/** Migrations not recorded as applied; all of them when the table does not exist yet. */
async function pendingMigrations(
  db: Database,
  migrations: readonly Migration[],
  table: string,
): Promise<readonly Migration[]> {
  const exists = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    table,
  ]);
  if (!exists.rows[0]?.present) return migrations;
  const { rows } = await db.query<{ version: number }>(`SELECT version FROM ${table}`);
  const applied = new Set(rows.map((row) => Number(row.version)));
  // Another process may be applying the rest right now: the locked loop re-checks each one.
  return migrations.filter((migration) => !applied.has(migration.version));
}

/** Splits a migration into statements (ours contain no semicolons inside literals or bodies). */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--[^\n]*/g, '')
    .split(';')
    .map((statement) => statement.trim())
    .filter((statement) => statement.length > 0);
}
