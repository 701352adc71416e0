/**
 * @module retrieval/filters
 * Turns the caller's principals and filters into SQL conditions of the ranking query itself, so access
 * control is enforced inside the query, never by dropping rows afterwards.
 */
import type { RetrievalFilters } from '../spec/retrieval.ts';
import type { SqlParams } from '../store/sql.ts';

/** SQL conditions (to AND together) and whether they need chunks (`c`) or documents (`d`) joined. */
export interface FilterSql {
  readonly conditions: string[];
  readonly needsChunks: boolean;
  readonly needsDocuments: boolean;
}

/**
 * Builds the conditions; `principals` undefined means no ACL restriction. `aclColumn` is the access-set
 * column of the table being ranked (postings and vectors carry it), so the access check needs no join:
 * the sets the caller may read are computed once, as an init plan, inside the same statement.
 */
export function buildFilterSql(
  params: SqlParams,
  tenantPlaceholder: string,
  aclColumn: string,
  principals: readonly string[] | undefined,
  filters: RetrievalFilters | undefined,
): FilterSql {
  const conditions: string[] = [];
  let needsDocuments = false;
  let needsChunks = false;
  if (principals !== undefined) {
    conditions.push(`${aclColumn} = ANY(${readableSetsSql(params, tenantPlaceholder, principals)})`);
  }
  if (filters?.documentIds) {
    needsChunks = true;
    conditions.push(`c.document_id = ANY(${params.add(filters.documentIds)}::bigint[])`);
  }
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
  return { conditions, needsChunks: needsChunks || needsDocuments, needsDocuments };
}

/**
 * An array expression of the ids of the tenant's access sets `principals` may read (those holding `*`
 * or one of the principals), evaluated once per statement as an init plan.
 */
export function readableSetsSql(
  params: SqlParams,
  tenantPlaceholder: string,
  principals: readonly string[],
): string {
  const visible = params.add(['*', ...principals]);
  return `ARRAY(SELECT id FROM acl_sets WHERE tenant_id = ${tenantPlaceholder} AND principals && ${visible}::text[])`;
}

/** The joins the conditions need, given the alias of the table carrying `chunk_id`. */
export function filterJoins(filter: FilterSql, chunkIdColumn: string): string {
  let joins = '';
  if (filter.needsChunks || filter.needsDocuments) joins += ` JOIN chunks c ON c.id = ${chunkIdColumn}`;
  if (filter.needsDocuments) joins += ' JOIN documents d ON d.id = c.document_id';
  return joins;
}
