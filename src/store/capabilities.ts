/**
 * @module store/capabilities
 * Reads what the connected engine supports, once, at open.
 */
import type { DatabaseCapabilities, SqlExecutor } from './database.ts';

/** Queries the server and pgvector versions. Call after the `vector` extension exists. */
export async function readCapabilities(executor: SqlExecutor): Promise<DatabaseCapabilities> {
  const { rows } = await executor.query<{ server: string; vector: string | null }>(
    `SELECT current_setting('server_version') AS server,
            (SELECT extversion FROM pg_extension WHERE extname = 'vector') AS vector`,
  );
  const row = rows[0];
  const pgvectorVersion = row?.vector ?? '0';
  const [major = 0, minor = 0] = pgvectorVersion.split('.').map(Number);
  return {
    serverVersion: row?.server ?? 'unknown',
    pgvectorVersion,
    hnswIterativeScan: major > 0 || minor >= 8,
  };
}
