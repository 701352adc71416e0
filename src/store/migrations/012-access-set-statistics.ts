/**
 * @module store/migrations/012-access-set-statistics
 * BM25 collection statistics per access set (ADR 0064), so a caller's chunk count and average length
 * are summed over the sets the caller may read instead of the whole tenant. The tenant-wide row is
 * replaced by the per-set rows (an unrestricted caller sums them all), recomputed from the chunks.
 * Documents keep the metadata their parser derived apart from the merged metadata, so a re-ingest that
 * changes only the request's metadata or ACL can rewrite them without parsing the file again, and a
 * job item can say `updated` when only access or metadata changed (ADR 0028).
 */

/** Per-(tenant, access set) statistics, the parser's own metadata, and the `updated` item status. */
export const MIGRATION_012 = `
CREATE TABLE lexical_set_stats (
  tenant_id     text NOT NULL REFERENCES tenants(id) ON DELETE CASCADE,
  acl_set_id    bigint NOT NULL REFERENCES acl_sets(id) ON DELETE CASCADE,
  chunk_count   bigint NOT NULL DEFAULT 0,
  total_length  bigint NOT NULL DEFAULT 0,
  PRIMARY KEY (tenant_id, acl_set_id)
);

-- Like Lucene, a chunk with no terms (all stop words) is not part of N or the average length.
INSERT INTO lexical_set_stats (tenant_id, acl_set_id, chunk_count, total_length)
SELECT tenant_id, acl_set_id, count(*) FILTER (WHERE lexical_length > 0), coalesce(sum(lexical_length), 0)
FROM chunks GROUP BY tenant_id, acl_set_id;

DROP TABLE lexical_stats;

-- NULL on documents written before this migration: their next re-ingest parses once to fill it.
ALTER TABLE documents ADD COLUMN derived_metadata jsonb;

ALTER TABLE ingest_job_items DROP CONSTRAINT ingest_job_items_status_check;
ALTER TABLE ingest_job_items ADD CONSTRAINT ingest_job_items_status_check
  CHECK (status IN ('pending', 'done', 'updated', 'unchanged', 'failed', 'removed'));
`;
