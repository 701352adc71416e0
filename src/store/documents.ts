/**
 * @module store/documents
 * Writes and deletes documents with their chunks, postings and vectors. A document is replaced in one
 * transaction, so a reader sees the old version or the new one, never a mix, and a failure leaves the
 * old version intact. BM25 collection statistics (per access set) move in the same transaction.
 */
import type { Database, SqlExecutor } from './database.ts';
import { toVectorLiteral } from './database.ts';
import { bumpKnowledgeGeneration } from './knowledge-generation.ts';
import { adjustLexicalStats, type LexicalTotals } from './lexical-stats.ts';

/** One chunk ready to store. */
export interface ChunkWrite {
  readonly ordinal: number;
  readonly text: string;
  readonly headingPath: readonly string[];
  readonly page?: number;
  readonly tokenCount: number;
  /** Analysed terms with their frequencies, and the analysed length, for BM25. */
  /** `[term, frequency]` pairs (a Map, or postings unpacked lazily from a worker's packed form). */
  readonly termFrequencies: Iterable<readonly [string, number]>;
  readonly lexicalLength: number;
  readonly embedding?: ArrayLike<number>;
}

/** A whole document ready to store. */
export interface DocumentWrite {
  readonly tenantId: string;
  readonly sourceId?: number;
  readonly uri: string;
  readonly originUri: string;
  readonly title?: string;
  readonly mediaType: string;
  readonly contentHash: string;
  readonly pipelineHash: string;
  readonly metadata: Readonly<Record<string, unknown>>;
  /**
   * The part of `metadata` the file itself yielded (parser fields and the file name), kept apart so a
   * re-ingest with other request metadata can recompute `metadata` without parsing again.
   */
  readonly derivedMetadata?: Readonly<Record<string, unknown>>;
  readonly acl: readonly string[];
  readonly pageCount?: number;
  readonly byteSize?: number;
  readonly chunks: readonly ChunkWrite[];
  /** Required when chunks carry embeddings. */
  readonly embeddingModelId?: number;
}

/** The stored fingerprint of a document, for change detection. */
export interface StoredFingerprint {
  readonly id: number;
  readonly uri: string;
  readonly contentHash: string;
  readonly pipelineHash: string;
  readonly acl: readonly string[];
  readonly metadata: Readonly<Record<string, unknown>>;
  /** `null` for documents written before migration 12. */
  readonly derivedMetadata: Readonly<Record<string, unknown>> | null;
}

/** Inserts or replaces a document and everything derived from it; returns its id. */
export async function replaceDocument(db: Database, write: DocumentWrite): Promise<number> {
  return db.transaction(async (tx) => {
    const existing = await tx.query<{ id: number }>(
      'SELECT id FROM documents WHERE tenant_id = $1 AND uri = $2 FOR UPDATE',
      [write.tenantId, write.uri],
    );
    let documentId = existing.rows[0]?.id;
    let removed = new Map<number, LexicalTotals>();
    const tokenCount = write.chunks.reduce((sum, chunk) => sum + chunk.tokenCount, 0);
    const aclSetId = await ensureAclSet(tx, write.tenantId, write.acl);
    const values = [
      write.sourceId ?? null,
      write.originUri,
      write.title ?? null,
      write.mediaType,
      write.contentHash,
      write.pipelineHash,
      JSON.stringify(write.metadata),
      write.acl,
      write.pageCount ?? null,
      write.chunks.length,
      tokenCount,
      write.byteSize ?? null,
      aclSetId,
      write.derivedMetadata === undefined ? null : JSON.stringify(write.derivedMetadata),
    ];
    if (documentId === undefined) {
      const inserted = await tx.query<{ id: number }>(
        `INSERT INTO documents (source_id, origin_uri, title, media_type, content_hash, pipeline_hash, metadata, acl,
           page_count, chunk_count, token_count, byte_size, acl_set_id, derived_metadata, tenant_id, uri)
         VALUES ($1, $2, $3, $4, $5, $6, $7::jsonb, $8, $9, $10, $11, $12, $13, $14::jsonb, $15, $16) RETURNING id`,
        [...values, write.tenantId, write.uri],
      );
      documentId = inserted.rows[0]!.id;
    } else {
      removed = await deleteChunks(tx, [documentId]);
      await tx.query(
        `UPDATE documents SET source_id = $1, origin_uri = $2, title = $3, media_type = $4, content_hash = $5,
           pipeline_hash = $6, metadata = $7::jsonb, acl = $8, page_count = $9, chunk_count = $10,
           token_count = $11, byte_size = $12, acl_set_id = $13, derived_metadata = $14::jsonb, updated_at = now()
         WHERE id = $15`,
        [...values, documentId],
      );
    }
    const added = await insertChunks(tx, write, documentId, aclSetId);
    const before = removed.get(aclSetId) ?? { count: 0, length: 0 };
    removed.delete(aclSetId);
    await adjustLexicalStats(tx, write.tenantId, aclSetId, {
      count: added.count - before.count,
      length: added.length - before.length,
    });
    for (const [setId, totals] of removed) {
      await adjustLexicalStats(tx, write.tenantId, setId, { count: -totals.count, length: -totals.length });
    }
    await bumpKnowledgeGeneration(tx, write.tenantId);
    return documentId;
  });
}

/**
 * Chunks written per statement. A document of tens of thousands of chunks is written in slices, all in
 * its one transaction: each statement's parameters are built (and, on the embedded database, executed)
 * on the main thread, so slices keep the event loop free between them (ADR 0057).
 */
const CHUNKS_PER_STATEMENT = 500;

async function insertChunks(
  tx: SqlExecutor,
  write: DocumentWrite,
  documentId: number,
  aclSetId: number,
): Promise<{ count: number; length: number }> {
  let totalLength = 0;
  for (let start = 0; start < write.chunks.length; start += CHUNKS_PER_STATEMENT) {
    const slice = write.chunks.slice(start, start + CHUNKS_PER_STATEMENT);
    totalLength += await insertChunkSlice(tx, write, slice, documentId, aclSetId);
  }
  // Like Lucene, a chunk with no terms (all stop words) is not part of N or the average length.
  return { count: write.chunks.filter((chunk) => chunk.lexicalLength > 0).length, length: totalLength };
}

/** Writes one slice of a document's chunks with their postings and vectors; returns their lexical length. */
async function insertChunkSlice(
  tx: SqlExecutor,
  write: DocumentWrite,
  chunks: readonly ChunkWrite[],
  documentId: number,
  aclSetId: number,
): Promise<number> {
  const { rows } = await tx.query<{ id: number; ordinal: number }>(
    `INSERT INTO chunks (tenant_id, document_id, acl_set_id, ordinal, text, heading_path, page, token_count, lexical_length)
     SELECT $1, $2, $3, o, t, ARRAY(SELECT jsonb_array_elements_text(h)), p, tc, ll
     FROM unnest($4::int[], $5::text[], $6::jsonb[], $7::int[], $8::int[], $9::int[]) AS u(o, t, h, p, tc, ll)
     RETURNING id, ordinal`,
    [
      write.tenantId,
      documentId,
      aclSetId,
      chunks.map((chunk) => chunk.ordinal),
      chunks.map((chunk) => chunk.text),
      chunks.map((chunk) => JSON.stringify(chunk.headingPath)),
      chunks.map((chunk) => chunk.page ?? null),
      chunks.map((chunk) => chunk.tokenCount),
      chunks.map((chunk) => chunk.lexicalLength),
    ],
  );
  const idByOrdinal = new Map(rows.map((row) => [row.ordinal, row.id]));
  const terms: string[] = [];
  const chunkIds: number[] = [];
  const frequencies: number[] = [];
  const lengths: number[] = [];
  let totalLength = 0;
  for (const chunk of chunks) {
    const chunkId = idByOrdinal.get(chunk.ordinal)!;
    totalLength += chunk.lexicalLength;
    for (const [term, tf] of chunk.termFrequencies) {
      terms.push(term);
      chunkIds.push(chunkId);
      frequencies.push(tf);
      lengths.push(chunk.lexicalLength);
    }
  }
  if (terms.length > 0) {
    await tx.query(
      `INSERT INTO postings (tenant_id, acl_set_id, term, chunk_id, tf, length)
       SELECT $1, $2, term, chunk_id, tf, len FROM unnest($3::text[], $4::bigint[], $5::int[], $6::int[])
         AS u(term, chunk_id, tf, len)`,
      [write.tenantId, aclSetId, terms, chunkIds, frequencies, lengths],
    );
  }
  const withVectors = chunks.filter((chunk) => chunk.embedding);
  if (withVectors.length > 0) {
    if (write.embeddingModelId === undefined) throw new Error('embeddingModelId is required with embeddings');
    await tx.query(
      `INSERT INTO chunk_vectors (chunk_id, model_id, tenant_id, acl_set_id, embedding)
       SELECT c, $1, $2, $3, e::vector FROM unnest($4::bigint[], $5::text[]) AS u(c, e)`,
      [
        write.embeddingModelId,
        write.tenantId,
        aclSetId,
        withVectors.map((chunk) => idByOrdinal.get(chunk.ordinal)!),
        withVectors.map((chunk) => toVectorLiteral(chunk.embedding!)),
      ],
    );
  }
  return totalLength;
}

/** Deletes the documents' chunks (postings and vectors cascade); returns what left each access set. */
async function deleteChunks(
  tx: SqlExecutor,
  documentIds: readonly number[],
): Promise<Map<number, LexicalTotals>> {
  const { rows } = await tx.query<{ aclSetId: string | number; count: number; length: number }>(
    `WITH gone AS (DELETE FROM chunks WHERE document_id = ANY($1::bigint[]) RETURNING acl_set_id, lexical_length)
     SELECT acl_set_id AS "aclSetId", (count(*) FILTER (WHERE lexical_length > 0))::int AS count,
            coalesce(sum(lexical_length), 0)::int AS length FROM gone GROUP BY acl_set_id`,
    [documentIds],
  );
  return new Map(rows.map((row) => [Number(row.aclSetId), { count: row.count, length: row.length }]));
}

/** The canonical form of a principal list: sorted, without duplicates or blanks. */
export function canonicalAcl(principals: readonly string[]): string[] {
  return [...new Set(principals.map((principal) => principal.trim()).filter(Boolean))].sort();
}

/** Returns the id of a tenant's access set for these principals, creating it when new. */
export async function ensureAclSet(
  tx: SqlExecutor,
  tenantId: string,
  principals: readonly string[],
): Promise<number> {
  const canonical = canonicalAcl(principals);
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO acl_sets (tenant_id, principals) VALUES ($1, $2::text[])
     ON CONFLICT (tenant_id, principals) DO UPDATE SET principals = EXCLUDED.principals RETURNING id`,
    [tenantId, canonical.length > 0 ? canonical : ['*']],
  );
  return rows[0]!.id;
}

/** Deletes documents by id (within the tenant); returns how many went. */
export async function deleteDocuments(
  db: Database,
  tenantId: string,
  documentIds: readonly number[],
): Promise<number> {
  if (documentIds.length === 0) return 0;
  return db.transaction(async (tx) => {
    const { rows } = await tx.query<{ id: number }>(
      'SELECT id FROM documents WHERE tenant_id = $1 AND id = ANY($2::bigint[]) FOR UPDATE',
      [tenantId, documentIds],
    );
    const ids = rows.map((row) => row.id);
    const removed = await deleteChunks(tx, ids);
    await tx.query('DELETE FROM documents WHERE tenant_id = $1 AND id = ANY($2::bigint[])', [tenantId, ids]);
    for (const [setId, totals] of removed) {
      await adjustLexicalStats(tx, tenantId, setId, { count: -totals.count, length: -totals.length });
    }
    if (rows.length > 0) await bumpKnowledgeGeneration(tx, tenantId);
    return rows.length;
  });
}

/** Fingerprints of the documents that came from one file (one, or several for record files). */
export async function fingerprintsByOrigin(
  db: SqlExecutor,
  tenantId: string,
  originUri: string,
): Promise<StoredFingerprint[]> {
  const { rows } = await db.query<StoredFingerprint>(
    `SELECT id, uri, content_hash AS "contentHash", pipeline_hash AS "pipelineHash", acl, metadata,
            derived_metadata AS "derivedMetadata"
     FROM documents WHERE tenant_id = $1 AND origin_uri = $2`,
    [tenantId, originUri],
  );
  return rows;
}

/** Ids of documents whose origin lies under `prefix` but is not in `keep` (for --sync). */
export async function documentsMissingFrom(
  db: SqlExecutor,
  tenantId: string,
  prefix: string,
  keep: ReadonlySet<string>,
): Promise<{ id: number; originUri: string }[]> {
  const { rows } = await db.query<{ id: number; originUri: string }>(
    `SELECT id, origin_uri AS "originUri" FROM documents
     WHERE tenant_id = $1 AND left(origin_uri, length($2)) = $2`,
    [tenantId, prefix],
  );
  return rows.filter((row) => !keep.has(row.originUri));
}

/** Makes sure the tenant row exists. */
export async function ensureTenant(db: SqlExecutor, tenantId: string, name = tenantId): Promise<void> {
  await db.query('INSERT INTO tenants (id, name) VALUES ($1, $2) ON CONFLICT (id) DO NOTHING', [
    tenantId,
    name,
  ]);
}

/** Whether `tenantId` exists. */
export async function tenantExists(db: SqlExecutor, tenantId: string): Promise<boolean> {
  const { rows } = await db.query('SELECT 1 FROM tenants WHERE id = $1', [tenantId]);
  return rows.length > 0;
}

/** How many tenants exist. */
export async function tenantCount(db: SqlExecutor): Promise<number> {
  const { rows } = await db.query<{ count: string | number }>('SELECT count(*) AS count FROM tenants');
  return Number(rows[0]?.count ?? 0);
}

/** Registers an embedding model and its partial HNSW index; returns the model's id. */
export async function ensureEmbeddingModel(db: Database, name: string, dimensions: number): Promise<number> {
  const { rows } = await db.query<{ id: number; dimensions: number }>(
    `INSERT INTO embedding_models (name, dimensions) VALUES ($1, $2)
     ON CONFLICT (name) DO UPDATE SET name = EXCLUDED.name RETURNING id, dimensions`,
    [name, dimensions],
  );
  const row = rows[0]!;
  if (row.dimensions !== dimensions) {
    throw new Error(
      `Embedding model ${name} was registered with ${row.dimensions} dimensions but now reports ${dimensions}.`,
    );
  }
  await createVectorIndex(db, row.id, dimensions);
  return row.id;
}

/** Builds a model's HNSW index if it is missing (after a bulk load). */
export async function createVectorIndex(db: Database, modelId: number, dimensions: number): Promise<void> {
  const id = Math.trunc(modelId);
  await db.transaction(async (tx) => {
    // HNSW builds fast only while the graph fits in maintenance memory (the default is 64 MB).
    await tx.query(`SET LOCAL maintenance_work_mem = '1GB'`);
    // A build over many vectors may take longer than the statement timeout of ordinary requests.
    await tx.query('SET LOCAL statement_timeout = 0');
    await tx.query(
      `CREATE INDEX IF NOT EXISTS chunk_vectors_hnsw_${id} ON chunk_vectors
       USING hnsw ((embedding::vector(${Math.trunc(dimensions)})) vector_cosine_ops) WHERE model_id = ${id}`,
    );
  });
}

/**
 * Drops a model's HNSW index before a bulk load. Inserting into a live HNSW index is slow (about 120
 * rows/s on PGlite); building it once afterwards is far faster. Searches stay correct meanwhile (an
 * exact scan), only slower.
 */
export async function dropVectorIndex(db: Database, modelId: number): Promise<void> {
  await db.exec(`DROP INDEX IF EXISTS chunk_vectors_hnsw_${Math.trunc(modelId)}`);
}
