/**
 * @module store/document-catalog
 * Reads of the documents table and what hangs off it (chunks, vectors, queued jobs) for listings,
 * the document view, status and start-up checks. Writes stay in store/documents.
 */
import type { SqlExecutor } from './database.ts';

/** One row of a document listing. */
export interface DocumentSummary {
  readonly id: number;
  readonly uri: string;
  readonly title: string | null;
  readonly mediaType: string | null;
  readonly metadata: Record<string, unknown>;
  readonly acl: string[];
  readonly pageCount: number | null;
  readonly chunkCount: number;
  readonly tokenCount: number;
  readonly byteSize: number | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** One document as its view shows it (without the size columns of the listing). */
export type DocumentDetail = Omit<DocumentSummary, 'tokenCount' | 'byteSize'>;

/** One chunk of a document. */
export interface DocumentChunk {
  readonly id: number;
  readonly ordinal: number;
  readonly text: string;
  readonly headingPath: string[];
  readonly page: number | null;
  readonly tokenCount: number;
}

/** What a tenant's knowledge base holds. */
export interface KnowledgeCounts {
  readonly documents: number;
  readonly chunks: number;
  readonly vectors: number;
  /** Ingestion jobs queued or running. */
  readonly jobs: number;
}

/** A page of the tenant's documents, oldest first. */
export async function listDocuments(
  db: SqlExecutor,
  tenantId: string,
  page: { readonly limit: number; readonly offset: number },
): Promise<DocumentSummary[]> {
  const { rows } = await db.query<DocumentSummary>(
    `SELECT id, uri, title, media_type AS "mediaType", metadata, acl, page_count AS "pageCount",
            chunk_count AS "chunkCount", token_count AS "tokenCount", byte_size AS "byteSize",
            created_at::text AS "createdAt", updated_at::text AS "updatedAt"
     FROM documents WHERE tenant_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
    [tenantId, page.limit, page.offset],
  );
  return rows;
}

/** The document, if it exists in this tenant. */
export async function getDocument(
  db: SqlExecutor,
  tenantId: string,
  id: number,
): Promise<DocumentDetail | undefined> {
  const { rows } = await db.query<DocumentDetail>(
    `SELECT id, uri, title, media_type AS "mediaType", metadata, acl, page_count AS "pageCount",
            chunk_count AS "chunkCount", created_at::text AS "createdAt", updated_at::text AS "updatedAt"
     FROM documents WHERE tenant_id = $1 AND id = $2`,
    [tenantId, id],
  );
  return rows[0];
}

/** The document's chunks in order. */
export async function listDocumentChunks(
  db: SqlExecutor,
  tenantId: string,
  documentId: number,
): Promise<DocumentChunk[]> {
  const { rows } = await db.query<DocumentChunk>(
    `SELECT id, ordinal, text, heading_path AS "headingPath", page, token_count AS "tokenCount"
     FROM chunks WHERE tenant_id = $1 AND document_id = $2 ORDER BY ordinal`,
    [tenantId, documentId],
  );
  return rows;
}

/** Where the document was read from (its origin URI), if it exists in this tenant. */
export async function documentOrigin(
  db: SqlExecutor,
  tenantId: string,
  id: number,
): Promise<string | undefined> {
  const { rows } = await db.query<{ originUri: string }>(
    'SELECT origin_uri AS "originUri" FROM documents WHERE tenant_id = $1 AND id = $2',
    [tenantId, id],
  );
  return rows[0]?.originUri;
}

/** Ids of the tenant's documents read from any of `originUris`. */
export async function documentIdsByOrigin(
  db: SqlExecutor,
  tenantId: string,
  originUris: readonly string[],
): Promise<number[]> {
  if (originUris.length === 0) return [];
  const { rows } = await db.query<{ id: number | string }>(
    'SELECT id FROM documents WHERE tenant_id = $1 AND origin_uri = ANY($2::text[])',
    [tenantId, originUris],
  );
  return rows.map((row) => Number(row.id));
}

/** Documents, chunks, vectors and unfinished jobs of the tenant. */
export async function knowledgeCounts(db: SqlExecutor, tenantId: string): Promise<KnowledgeCounts> {
  const { rows } = await db.query<KnowledgeCounts>(
    `SELECT (SELECT count(*) FROM documents WHERE tenant_id = $1)::int AS documents,
            (SELECT count(*) FROM chunks WHERE tenant_id = $1)::int AS chunks,
            (SELECT count(*) FROM chunk_vectors WHERE tenant_id = $1)::int AS vectors,
            (SELECT count(*) FROM ingest_jobs WHERE tenant_id = $1 AND status IN ('queued','running'))::int AS jobs`,
    [tenantId],
  );
  return rows[0] ?? { documents: 0, chunks: 0, vectors: 0, jobs: 0 };
}
