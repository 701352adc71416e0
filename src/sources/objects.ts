/**
 * @module sources/objects
 * What a source's last listing saw (`content_source_objects`): each key with its current ETag, the ETag last
 * fetched for ingestion and the ETag last ingested. A listing compared with these rows gives the keys
 * to fetch (new, or an ETag not yet ingested) and the keys gone since; only those go into the job.
 */
import type { SqlExecutor } from '../store/database.ts';

/** The outcome of recording a listing. */
export interface ListingChanges {
  /** Keys new or changed since they were last ingested. */
  readonly changed: string[];
  /** Keys the previous listing had and this one has not. */
  readonly removed: string[];
}

/** Records a complete listing (`etag` null: unknown, always fetched) and returns what changed. */
export async function recordListing(
  db: SqlExecutor,
  sourceId: string,
  listing: ReadonlyMap<string, string | null>,
): Promise<ListingChanges> {
  const { rows } = await db.query<{ key: string; ingested: string | null }>(
    'SELECT key, ingested_etag AS ingested FROM content_source_objects WHERE source_id = $1',
    [sourceId],
  );
  const known = new Map(rows.map((row) => [row.key, row.ingested]));
  const changed = [...listing]
    .filter(([key, etag]) => etag === null || known.get(key) !== etag)
    .map(([key]) => key);
  const removed = [...known.keys()].filter((key) => !listing.has(key));
  const keys = [...listing.keys()];
  const etags = keys.map((key) => listing.get(key) ?? null);
  for (let start = 0; start < keys.length; start += 1000) {
    await db.query(
      `INSERT INTO content_source_objects (source_id, key, etag)
       SELECT $1, key, etag FROM unnest($2::text[], $3::text[]) AS t(key, etag)
       ON CONFLICT (source_id, key) DO UPDATE SET etag = excluded.etag`,
      [sourceId, keys.slice(start, start + 1000), etags.slice(start, start + 1000)],
    );
  }
  await forgetKeys(db, sourceId, removed);
  return { changed, removed };
}

/** Drops keys (gone from the source). */
export async function forgetKeys(db: SqlExecutor, sourceId: string, keys: readonly string[]): Promise<void> {
  if (keys.length === 0) return;
  await db.query('DELETE FROM content_source_objects WHERE source_id = $1 AND key = ANY($2::text[])', [
    sourceId,
    keys,
  ]);
}

/** Notes the ETag of the bytes a job fetched (ingested once its item succeeds). */
export async function recordFetched(
  db: SqlExecutor,
  sourceId: string,
  key: string,
  etag: string,
): Promise<void> {
  await db.query(
    `INSERT INTO content_source_objects (source_id, key, etag, fetched_etag) VALUES ($1, $2, $3, $3)
     ON CONFLICT (source_id, key) DO UPDATE SET fetched_etag = excluded.fetched_etag`,
    [sourceId, key, etag],
  );
}

/** The item of `key` succeeded: what was fetched is ingested, and the next listing skips it if unchanged. */
export async function markIngested(db: SqlExecutor, sourceId: string, key: string): Promise<void> {
  await db.query(
    'UPDATE content_source_objects SET ingested_etag = fetched_etag WHERE source_id = $1 AND key = $2',
    [sourceId, key],
  );
}
