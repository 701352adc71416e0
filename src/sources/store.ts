/**
 * @module sources/store
 * The `sources` and `content_source_objects` tables (migration 028): rows in, rows out, every query scoped
 * by tenant. The service (sources/service.ts) decides what to write.
 */
import type { SqlExecutor } from '../store/database.ts';
import type { SourceConfig } from './schema.ts';

/** A stored source. */
export interface SourceRow {
  readonly id: string;
  readonly tenantId: string;
  readonly name: string;
  readonly kind: SourceConfig['kind'];
  readonly config: SourceConfig;
  readonly credentials: Uint8Array | null;
  readonly webhookSecret: Uint8Array;
  readonly acl: string[];
  readonly metadata: Record<string, unknown>;
  readonly syncEverySeconds: number | null;
  readonly nextSyncAt: string | null;
  readonly lastSyncAt: string | null;
  readonly lastSyncCode: string | null;
  readonly lastSyncError: string | null;
  readonly lastJobId: string | null;
  /** The status of the last sync's job, when there is one. */
  readonly lastJobStatus: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

const COLUMNS = `s.id, s.tenant_id AS "tenantId", s.name, s.kind, s.config, s.credentials,
  s.webhook_secret AS "webhookSecret", s.acl, s.metadata, s.sync_every_seconds AS "syncEverySeconds",
  s.next_sync_at::text AS "nextSyncAt", s.last_sync_at::text AS "lastSyncAt", s.last_sync_code AS "lastSyncCode",
  s.last_sync_error AS "lastSyncError", s.last_job_id AS "lastJobId", j.status AS "lastJobStatus",
  s.created_at::text AS "createdAt", s.updated_at::text AS "updatedAt"`;
const FROM = 'content_sources s LEFT JOIN ingest_jobs j ON j.id = s.last_job_id';

/** One source of a tenant. */
export async function sourceById(
  db: SqlExecutor,
  tenantId: string,
  id: string,
): Promise<SourceRow | undefined> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined;
  const { rows } = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE s.tenant_id = $1 AND s.id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/** The sources of a tenant, by name. */
export async function listSourceRows(db: SqlExecutor, tenantId: string): Promise<SourceRow[]> {
  const { rows } = await db.query<SourceRow>(
    `SELECT ${COLUMNS} FROM ${FROM} WHERE s.tenant_id = $1 ORDER BY s.name`,
    [tenantId],
  );
  return rows;
}

/** What a new source stores. */
export interface NewSourceRow {
  readonly tenantId: string;
  readonly name: string;
  readonly config: SourceConfig;
  readonly credentials: Uint8Array | null;
  readonly webhookSecret: Uint8Array;
  readonly acl: readonly string[];
  readonly metadata: Record<string, unknown>;
  readonly syncEverySeconds: number | null;
}

/** Inserts a source (its first scheduled sync one interval from now); returns its id, or undefined on a name clash. */
export async function insertSource(db: SqlExecutor, row: NewSourceRow): Promise<string | undefined> {
  const { rows } = await db.query<{ id: string }>(
    `INSERT INTO content_sources (tenant_id, name, kind, config, credentials, webhook_secret, acl, metadata,
       sync_every_seconds, next_sync_at)
     VALUES ($1, $2, $3, $4::jsonb, $5, $6, $7::jsonb, $8::jsonb, $9::int,
       CASE WHEN $9::int IS NULL THEN NULL ELSE now() + make_interval(secs => $9::int) END)
     ON CONFLICT (tenant_id, name) DO NOTHING RETURNING id`,
    [
      row.tenantId,
      row.name,
      row.config.kind,
      JSON.stringify(row.config),
      row.credentials,
      row.webhookSecret,
      JSON.stringify(row.acl),
      JSON.stringify(row.metadata),
      row.syncEverySeconds,
    ],
  );
  return rows[0]?.id;
}

/** Writes a source's settings back; false on a name clash. */
export async function updateSourceRow(
  db: SqlExecutor,
  row: SourceRow,
  scheduleChanged: boolean,
): Promise<boolean> {
  const { rows } = await db.query<{ id: string }>(
    `UPDATE content_sources SET name = $3, config = $4::jsonb, credentials = $5, acl = $6::jsonb, metadata = $7::jsonb,
       sync_every_seconds = $8::int, updated_at = now(),
       next_sync_at = CASE WHEN NOT $9 THEN next_sync_at WHEN $8::int IS NULL THEN NULL
         ELSE now() + make_interval(secs => $8::int) END
     WHERE tenant_id = $1 AND id = $2
       AND NOT EXISTS (SELECT 1 FROM content_sources o WHERE o.tenant_id = $1 AND o.name = $3 AND o.id <> $2)
     RETURNING id`,
    [
      row.tenantId,
      row.id,
      row.name,
      JSON.stringify(row.config),
      row.credentials,
      JSON.stringify(row.acl),
      JSON.stringify(row.metadata),
      row.syncEverySeconds,
      scheduleChanged,
    ],
  );
  return rows.length > 0;
}

/** Records the outcome of starting a sync: its job, or why the source could not be read. */
export async function recordSync(
  db: SqlExecutor,
  sourceId: string,
  outcome: { jobId: string | null; code: string | null; error: string | null },
): Promise<void> {
  await db.query(
    `UPDATE content_sources SET last_sync_at = now(), last_job_id = $2, last_sync_code = $3, last_sync_error = $4
     WHERE id = $1`,
    [sourceId, outcome.jobId, outcome.code, outcome.error?.slice(0, 2000) ?? null],
  );
}

/** Deletes a source (its objects go with it); false when there was none. */
export async function deleteSourceRow(db: SqlExecutor, tenantId: string, id: string): Promise<boolean> {
  const { affectedRows } = await db.query('DELETE FROM content_sources WHERE tenant_id = $1 AND id = $2', [
    tenantId,
    id,
  ]);
  return (affectedRows ?? 0) > 0;
}

/**
 * Claims the next source whose scheduled sync is due, moving its next sync one interval on in the same
 * statement: of several processes polling, exactly one gets each due sync.
 */
export async function claimDueSource(db: SqlExecutor): Promise<{ id: string; tenantId: string } | undefined> {
  const { rows } = await db.query<{ id: string; tenantId: string }>(
    `UPDATE content_sources SET next_sync_at = now() + make_interval(secs => sync_every_seconds)
     WHERE id = (SELECT id FROM content_sources WHERE next_sync_at <= now() ORDER BY next_sync_at
                 LIMIT 1 FOR UPDATE SKIP LOCKED)
     RETURNING id, tenant_id AS "tenantId"`,
  );
  return rows[0];
}
