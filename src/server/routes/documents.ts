/**
 * @module server/routes/documents
 * Documents: upload files (multipart, streamed to the blob store; each becomes an item of one
 * ingestion job), list, read one with its chunks, download an upload's original, delete.
 */
import { z } from 'zod';
import { InvalidRequestError } from '../../errors.ts';
import type { TenantService } from '../../identity/tenants.ts';
import { type DocumentService, documentPageSchema } from '../../ingest/documents.ts';
import type { IngestRequestInput } from '../../ingest/request.ts';
import type { IngestionService } from '../../ingest/service.ts';
import type { UploadService } from '../../ingest/uploads.ts';
import { assertValidText } from '../../text/valid-text.ts';
import { notFound } from '../http-error.ts';
import { discardUpload, receiveUpload } from '../multipart-upload.ts';
import {
  documentDetailSchema,
  documentListSchema,
  jobBodySchema,
  uploadFormSchema,
} from '../openapi/responses.ts';
import { declareRoutes, ok, type RouteSpec } from '../route-spec.ts';
import { parseWith } from '../validate.ts';

/** Query of `GET /v1/documents`. */
export const documentListQuerySchema = documentPageSchema.strict();
const idParam = z.coerce.number().int().positive();

/** Where uploads go and how big they may be. */
export interface DocumentUploads {
  readonly service: UploadService;
  readonly limits: {
    readonly maxFileBytes: number;
    readonly maxUploadBytes: number;
    readonly maxUploadFiles: number;
  };
}

/** The routes, as they declare themselves (server/route-spec.ts). */
const DOCUMENT_ROUTES: readonly RouteSpec[] = [
  {
    method: 'post',
    path: '/v1/documents',
    tag: 'documents',
    summary: 'Upload files; each becomes an item of one ingestion job.',
    access: 'admin',
    request: { multipart: uploadFormSchema },
    responses: { 202: ok(jobBodySchema, 'Queued.') },
    body: 'streamed',
  },
  {
    method: 'get',
    path: '/v1/documents',
    tag: 'documents',
    summary: 'List documents.',
    access: 'admin',
    request: { query: documentListQuerySchema },
    responses: { 200: ok(documentListSchema) },
  },
  {
    method: 'get',
    path: '/v1/documents/:id',
    tag: 'documents',
    summary: 'One document with its chunks.',
    access: 'admin',
    responses: {
      200: ok(documentDetailSchema),
    },
  },
  {
    method: 'get',
    path: '/v1/documents/:id/original',
    tag: 'documents',
    summary:
      'The file an uploaded document was made from (400 `original_not_kept` for documents read from a path or URL).',
    access: 'admin',
    responses: { 200: { description: 'The original file, as uploaded.' } },
  },
  {
    method: 'delete',
    path: '/v1/documents/:id',
    tag: 'documents',
    summary: 'Delete a document.',
    access: 'admin',
    responses: {
      204: { description: 'Deleted.' },
    },
  },
];

/** Routes. */
export function documentRoutes(
  {
    documents,
    tenants,
  }: { readonly documents: DocumentService; readonly tenants: Pick<TenantService, 'ensure'> },
  ingestion: IngestionService,
  uploads: DocumentUploads,
) {
  return declareRoutes(DOCUMENT_ROUTES)
    .post('/v1/documents', async (context) => {
      const tenantId = context.get('identity').tenantId;
      const upload = await receiveUpload(context.req.raw, {
        maxFileBytes: uploads.limits.maxFileBytes,
        maxTotalBytes: uploads.limits.maxUploadBytes,
        maxFiles: uploads.limits.maxUploadFiles,
        stagingDir: await uploads.service.blobs.stagingDir(),
      });
      try {
        if (upload.files.length === 0)
          throw new InvalidRequestError('no_files', 'Attach at least one file in the "file" field.');
        assertValidText(upload.fields, 'form');
        const aclField = upload.fields.acl?.at(-1);
        const acl =
          aclField === undefined ? undefined : aclField.split(',').map((principal) => principal.trim());
        await tenants.ensure(tenantId);
        // `redact`: `all`, or comma-separated kinds (email,phone,…): stored text is redacted, the original is not kept.
        const redactField = upload.fields.redact?.at(-1)?.trim();
        const pii =
          redactField === undefined || redactField === ''
            ? {}
            : redactField === 'all'
              ? { pii: 'redact' }
              : { redact: redactField.split(',').map((kind) => kind.trim()) };
        const stored = await uploads.service.store(tenantId, upload.files);
        const uploadIds = stored.map((source) => source.uploadId);
        const sources = stored.map((source) => ({ ...source, ...pii }));
        let job: Awaited<ReturnType<IngestionService['submit']>>;
        try {
          job = await ingestion.submit(tenantId, { sources, acl } as IngestRequestInput);
        } catch (error) {
          await uploads.service.forget(tenantId, uploadIds);
          throw error;
        }
        await uploads.service.attachJob(tenantId, uploadIds, job.id);
        return context.json({ job }, 202);
      } finally {
        await discardUpload(upload);
      }
    })
    .get('/v1/documents', async (context) => {
      const query = parseWith(documentListQuerySchema, context.req.query(), 'invalid_query');
      return context.json({ documents: await documents.list(context.get('identity').tenantId, query) });
    })
    .get('/v1/documents/:id', async (context) => {
      const id = idParam.safeParse(context.req.param('id'));
      if (!id.success) return notFound(context, 'The document');
      const tenantId = context.get('identity').tenantId;
      const found = await documents.get(tenantId, id.data);
      if (!found) return notFound(context, 'The document');
      return context.json(found);
    })
    .get('/v1/documents/:id/original', async (context) => {
      const id = idParam.safeParse(context.req.param('id'));
      if (!id.success) return notFound(context, 'The document');
      const tenantId = context.get('identity').tenantId;
      const originUri = await documents.origin(tenantId, id.data);
      if (originUri === undefined) return notFound(context, 'The document');
      const original = await uploads.service.original(tenantId, originUri);
      if (!original) {
        throw new InvalidRequestError(
          'original_not_kept',
          'Only uploaded files keep their original here; this document was read from a path or URL, or uploaded with PII redaction (whose original is not kept).',
        );
      }
      return new Response(original.body, {
        headers: {
          'content-type': original.mediaType ?? 'application/octet-stream',
          'content-length': String(original.size),
          'content-disposition': `attachment; filename*=UTF-8''${encodeURIComponent(original.fileName)}`,
          'x-content-type-options': 'nosniff',
        },
      });
    })
    .delete('/v1/documents/:id', async (context) => {
      const id = idParam.safeParse(context.req.param('id'));
      if (!id.success) return notFound(context, 'The document');
      const deleted = await documents.delete(context.get('identity').tenantId, [id.data]);
      if (deleted === 0) return notFound(context, 'The document');
      return context.body(null, 204);
    });
}
