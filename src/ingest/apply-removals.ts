/**
 * @module ingest/apply-removals
 * The `remove` list of a job (a source's sync): documents whose origin is one of the listed URIs are
 * deleted and recorded as `removed` items. A URI that this same job ingested again (an object deleted
 * and re-created between two listings) is kept.
 */
import type { Database } from '../store/database.ts';
import { deleteDocuments } from '../store/documents.ts';
import { appendItem, listItems } from '../store/jobs.ts';

/** Deletes the documents of `uris` not ingested by this job; returns how many origins were removed. */
export async function applyRemovals(
  db: Database,
  job: { readonly id: string; readonly tenantId: string },
  uris: readonly string[],
): Promise<number> {
  if (uris.length === 0) return 0;
  const present = new Set((await listItems(db, job.id)).map((item) => item.uri));
  const wanted = [...new Set(uris)].filter((uri) => !present.has(uri));
  if (wanted.length === 0) return 0;
  const { rows } = await db.query<{ id: number; originUri: string }>(
    `SELECT id, origin_uri AS "originUri" FROM documents
     WHERE tenant_id = $1 AND origin_uri = ANY($2::text[])`,
    [job.tenantId, wanted],
  );
  const byOrigin = new Map<string, number[]>();
  for (const row of rows) byOrigin.set(row.originUri, [...(byOrigin.get(row.originUri) ?? []), row.id]);
  for (const [originUri, ids] of byOrigin) {
    await deleteDocuments(db, job.tenantId, ids);
    await appendItem(db, job.id, originUri, 'removed', 'It is gone from its source.');
  }
  return byOrigin.size;
}
