/**
 * @module server/routes/documents
 * Documents: upload files (multipart; each becomes an item of one ingestion job), list, read one with
 * its chunks, delete.
 */
import { Hono } from 'hono';
import { z } from 'zod';
import { InvalidRequestError } from '../../errors.ts';
import type { IngestionService } from '../../ingest/service.ts';
import type { Database } from '../../store/database.ts';
import { deleteDocuments, ensureTenant } from '../../store/documents.ts';
import { notFound } from '../http-error.ts';
import type { ServerEnv } from '../identity.ts';
import { parseWith } from '../validate.ts';

/** Query of `GET /v1/documents`. */
export const documentListQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(500).default(50),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();
const idParam = z.coerce.number().int().positive();

/** Routes. */
export function documentRoutes(db: Database, ingestion: IngestionService, maxFileBytes: number) {
  return new Hono<ServerEnv>()
    .post('/v1/documents', async (context) => {
      const tenantId = context.get('identity').tenantId;
      if (!(context.req.header('content-type') ?? '').includes('multipart/form-data')) {
        throw new InvalidRequestError(
          'unsupported_media_type',
          'Upload files as multipart/form-data (field "file").',
        );
      }
      const form = await context.req.parseBody({ all: true }).catch(() => {
        throw new InvalidRequestError('invalid_multipart', 'The multipart body could not be read.');
      });
      const files = [form.file ?? []].flat().filter((value): value is File => value instanceof File);
      if (files.length === 0)
        throw new InvalidRequestError('no_files', 'Attach at least one file in the "file" field.');
      for (const file of files) {
        if (file.size > maxFileBytes) {
          throw new InvalidRequestError(
            'payload_too_large',
            `${file.name} is larger than the ${maxFileBytes}-byte limit.`,
          );
        }
      }
      const acl =
        typeof form.acl === 'string' ? form.acl.split(',').map((principal) => principal.trim()) : undefined;
      await ensureTenant(db, tenantId);
      const sources = [];
      for (const file of files) {
        const { rows } = await db.query<{ id: string }>(
          'INSERT INTO uploads (tenant_id, file_name, media_type, content) VALUES ($1, $2, $3, $4) RETURNING id',
          [tenantId, file.name || 'upload', file.type || null, new Uint8Array(await file.arrayBuffer())],
        );
        sources.push({ kind: 'upload' as const, uploadId: rows[0]!.id, fileName: file.name || 'upload' });
      }
      const job = await ingestion.submit(tenantId, { sources, acl });
      return context.json({ job }, 202);
    })
    .get('/v1/documents', async (context) => {
      const query = parseWith(documentListQuerySchema, context.req.query(), 'invalid_query');
      // Listings only read: a read replica may serve them.
      const { rows } = await db.read.query(
        `SELECT id, uri, title, media_type AS "mediaType", metadata, acl, page_count AS "pageCount",
                chunk_count AS "chunkCount", token_count AS "tokenCount", byte_size AS "byteSize",
                created_at::text AS "createdAt", updated_at::text AS "updatedAt"
         FROM documents WHERE tenant_id = $1 ORDER BY id LIMIT $2 OFFSET $3`,
        [context.get('identity').tenantId, query.limit, query.offset],
      );
      return context.json({ documents: rows });
    })
    .get('/v1/documents/:id', async (context) => {
      const id = idParam.safeParse(context.req.param('id'));
      if (!id.success) return notFound(context, 'The document');
      const tenantId = context.get('identity').tenantId;
      const { rows } = await db.read.query(
        `SELECT id, uri, title, media_type AS "mediaType", metadata, acl, page_count AS "pageCount",
                chunk_count AS "chunkCount", created_at::text AS "createdAt", updated_at::text AS "updatedAt"
         FROM documents WHERE tenant_id = $1 AND id = $2`,
        [tenantId, id.data],
      );
      if (!rows[0]) return notFound(context, 'The document');
      const chunks = await db.read.query(
        `SELECT id, ordinal, text, heading_path AS "headingPath", page, token_count AS "tokenCount"
         FROM chunks WHERE tenant_id = $1 AND document_id = $2 ORDER BY ordinal`,
        [tenantId, id.data],
      );
      return context.json({ document: rows[0], chunks: chunks.rows });
    })
    .delete('/v1/documents/:id', async (context) => {
      const id = idParam.safeParse(context.req.param('id'));
      if (!id.success) return notFound(context, 'The document');
      const deleted = await deleteDocuments(db, context.get('identity').tenantId, [id.data]);
      if (deleted === 0) return notFound(context, 'The document');
      return context.body(null, 204);
    });
}
