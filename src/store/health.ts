/**
 * @module store/health
 * Questions about the database itself rather than a table's rows: does it answer, is a table there.
 */
import type { SqlExecutor } from './database.ts';

/** Runs the cheapest statement there is; rejects when the database does not answer. */
export async function pingDatabase(db: SqlExecutor): Promise<void> {
  await db.query('SELECT 1');
}

/** Whether a table (or view) of that name is visible on the search path. */
export async function tableExists(db: SqlExecutor, name: string): Promise<boolean> {
  const { rows } = await db.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
    name,
  ]);
  return rows[0]?.present === true;
}
