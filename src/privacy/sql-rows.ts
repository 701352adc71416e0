/**
 * @module privacy/sql-rows
 * The two statements every privacy section is made of: read a table's matching rows as JSON, and
 * delete them counting what went. Rows are read as `to_jsonb`, so both engines give the same shapes
 * (timestamps as ISO text, bigints as numbers) and an export is plain JSON.
 */
import type { SqlExecutor } from '../store/database.ts';

/** The rows of `table` matching `where` (which names the table `t`), as JSON objects. */
export async function rowsWhere(
  db: SqlExecutor,
  table: string,
  where: string,
  params: readonly unknown[],
  omit: readonly string[] = [],
): Promise<unknown[]> {
  const dropped = omit.map((column) => ` - '${column}'`).join('');
  const { rows } = await db.query<{ row: unknown }>(
    `SELECT to_jsonb(t)${dropped} AS row FROM ${table} t WHERE ${where}`,
    params,
  );
  return rows.map((row) => row.row);
}

/** Deletes the rows of `table` matching `where` (which names the table `t`); returns how many. */
export async function deleteWhere(
  tx: SqlExecutor,
  table: string,
  where: string,
  params: readonly unknown[],
): Promise<number> {
  const { rows } = await tx.query<{ n: number }>(
    `WITH gone AS (DELETE FROM ${table} t WHERE ${where} RETURNING 1) SELECT count(*)::int AS n FROM gone`,
    params,
  );
  return rows[0]?.n ?? 0;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The ids that are UUIDs (for `uuid` columns, where another string would be a type error). */
export function uuidsOf(ids: readonly string[]): string[] {
  return ids.filter((id) => UUID.test(id));
}
