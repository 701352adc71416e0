/**
 * @module retrieval/filters
 * Turns the caller's principals and filters into SQL conditions over `c` (chunks) and `d` (documents),
 * so access control is enforced inside the ranking query, never by dropping rows afterwards.
 */
import type { RetrievalFilters } from '../spec/retrieval.ts';
import type { SqlParams } from '../store/sql.ts';

/** SQL conditions (to AND together) and whether they need the documents table joined as `d`. */
export interface FilterSql {
  readonly conditions: string[];
  readonly needsChunks: boolean;
  readonly needsDocuments: boolean;
}

/** Builds the conditions; `principals` undefined means no ACL restriction. */
export function buildFilterSql(
  params: SqlParams,
  principals: readonly string[] | undefined,
  filters: RetrievalFilters | undefined,
): FilterSql {
  const conditions: string[] = [];
  let needsDocuments = false;
  if (principals !== undefined) {
    conditions.push(`c.acl && ${params.add(['*', ...principals])}::text[]`);
  }
  if (filters?.documentIds)
    conditions.push(`c.document_id = ANY(${params.add(filters.documentIds)}::bigint[])`);
  if (filters?.uriPrefix) {
    needsDocuments = true;
    const prefix = params.add(filters.uriPrefix);
    conditions.push(`left(d.origin_uri, length(${prefix})) = ${prefix}`);
  }
  if (filters?.metadata && Object.keys(filters.metadata).length > 0) {
    needsDocuments = true;
    conditions.push(`d.metadata @> ${params.add(JSON.stringify(filters.metadata))}::jsonb`);
  }
  if (filters?.mediaTypes && filters.mediaTypes.length > 0) {
    needsDocuments = true;
    conditions.push(`d.media_type = ANY(${params.add(filters.mediaTypes)}::text[])`);
  }
  return { conditions, needsChunks: conditions.length > 0, needsDocuments };
}

/** The joins the conditions need, given the alias of the table carrying `chunk_id`. */
export function filterJoins(filter: FilterSql, chunkIdColumn: string): string {
  let joins = '';
  if (filter.needsChunks || filter.needsDocuments) joins += ` JOIN chunks c ON c.id = ${chunkIdColumn}`;
  if (filter.needsDocuments) joins += ' JOIN documents d ON d.id = c.document_id';
  return joins;
}
