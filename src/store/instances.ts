/**
 * @module store/instances
 * The processes serving one database, each a row kept fresh by its heartbeat: what `status` lists,
 * and how a starting process learns whether the others sign sessions with the same secret.
 */
import type { SqlExecutor } from './database.ts';

/** One registered process. */
export interface InstanceRow {
  readonly id: string;
  readonly hostname: string;
  readonly pid: number;
  readonly role: string;
  readonly version: string;
  readonly secretFingerprint: string;
  readonly startedAt: string;
  readonly seenAt: string;
}

/** Adds or refreshes this process's row. */
export async function upsertInstance(
  db: SqlExecutor,
  instance: Omit<InstanceRow, 'startedAt' | 'seenAt'>,
): Promise<void> {
  await db.query(
    `INSERT INTO instances (id, hostname, pid, role, version, secret_fingerprint)
     VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (id) DO UPDATE SET seen_at = now(), role = EXCLUDED.role`,
    [
      instance.id,
      instance.hostname,
      instance.pid,
      instance.role,
      instance.version,
      instance.secretFingerprint,
    ],
  );
}

/** Processes whose heartbeat is newer than `freshSeconds`, other than `exceptId`. */
export async function liveInstances(
  db: SqlExecutor,
  freshSeconds: number,
  exceptId?: string,
): Promise<InstanceRow[]> {
  const { rows } = await db.query<InstanceRow>(
    `SELECT id, hostname, pid, role, version, secret_fingerprint AS "secretFingerprint",
            started_at::text AS "startedAt", seen_at::text AS "seenAt"
     FROM instances
     WHERE seen_at > now() - make_interval(secs => $1) AND id IS DISTINCT FROM $2
     ORDER BY started_at`,
    [freshSeconds, exceptId ?? null],
  );
  return rows;
}

/** Removes a process's row (clean shutdown) and rows silent for a day (crashed processes). */
export async function removeInstance(db: SqlExecutor, id: string): Promise<void> {
  await db.query(`DELETE FROM instances WHERE id = $1 OR seen_at < now() - interval '1 day'`, [id]);
}

/** A deployment-wide setting, written once by whichever process gets there first. */
export async function clusterSetting(db: SqlExecutor, name: string, initial: () => string): Promise<string> {
  await db.query('INSERT INTO cluster_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
    name,
    initial(),
  ]);
  const { rows } = await db.query<{ value: string }>('SELECT value FROM cluster_settings WHERE name = $1', [
    name,
  ]);
  return (rows[0] as { value: string }).value;
}
