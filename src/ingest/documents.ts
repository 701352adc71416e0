/**
 * @module ingest/documents
 * The documents of a tenant's knowledge base as the HTTP API and the CLI see them: one listing (same
 * columns, same paging for both), one document with its chunks, where an upload came from, and
 * deletion. Listings and views only read, so a read replica may serve them; what must see the
 * caller's own write (the origin of a document about to be downloaded, deletion) uses the primary.
 *
 * @example
 * const page = await documents.list('acme', { limit: 20, offset: 40 });
 */
import { z } from 'zod';
import { InvalidRequestError } from '../errors.ts';
import type { Database } from '../spec/database.ts';
import {
  type DocumentChunk,
  type DocumentDetail,
  type DocumentSummary,
  documentIdsByOrigin,
  documentOrigin,
  getDocument,
  type KnowledgeCounts,
  knowledgeCounts,
  listDocumentChunks,
  listDocuments,
} from '../store/document-catalog.ts';
import { deleteDocuments } from '../store/documents.ts';

export type { DocumentChunk, DocumentDetail, DocumentSummary, KnowledgeCounts };

/** Most documents one page returns. */
export const MAX_DOCUMENT_PAGE = 500;

/** A page of a document listing: `limit` rows (1–500, default 50) after skipping `offset`. */
export const documentPageSchema = z.object({
  limit: z.coerce.number().int().min(1).max(MAX_DOCUMENT_PAGE).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

/** A page of a document listing, parsed. */
export type DocumentPage = z.output<typeof documentPageSchema>;

/** The tenant-scoped document catalogue. */
export class DocumentService {
  constructor(private readonly db: Database) {}

  /**
   * A page of the tenant's documents, by id. A `limit` or `offset` out of range is
   * `invalid_query` (the same bounds as `GET /v1/documents`).
   */
  async list(
    tenantId: string,
    page: Partial<Record<keyof DocumentPage, unknown>> = {},
  ): Promise<DocumentSummary[]> {
    const parsed = documentPageSchema.safeParse(page);
    if (!parsed.success) {
      throw new InvalidRequestError(
        'invalid_query',
        `A page takes a limit from 1 to ${MAX_DOCUMENT_PAGE} and an offset of 0 or more.`,
      );
    }
    return listDocuments(this.db.read, tenantId, parsed.data);
  }

  /** The document with its chunks in order, or undefined when the tenant has no such document. */
  async get(
    tenantId: string,
    id: number,
  ): Promise<{ document: DocumentDetail; chunks: DocumentChunk[] } | undefined> {
    const document = await getDocument(this.db.read, tenantId, id);
    if (!document) return undefined;
    return { document, chunks: await listDocumentChunks(this.db.read, tenantId, id) };
  }

  /** Where the document was read from, or undefined when the tenant has no such document. */
  origin(tenantId: string, id: number): Promise<string | undefined> {
    return documentOrigin(this.db, tenantId, id);
  }

  /** Ids of the tenant's documents read from any of `originUris`. */
  idsByOrigin(tenantId: string, originUris: readonly string[]): Promise<number[]> {
    return documentIdsByOrigin(this.db, tenantId, originUris);
  }

  /** Deletes documents of the tenant (ids it does not have are ignored); returns how many went. */
  delete(tenantId: string, ids: readonly number[]): Promise<number> {
    return deleteDocuments(this.db, tenantId, ids);
  }

  /** Documents, chunks, vectors and unfinished ingestion jobs of the tenant. */
  counts(tenantId: string): Promise<KnowledgeCounts> {
    return knowledgeCounts(this.db, tenantId);
  }
}
