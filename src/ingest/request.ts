/**
 * @module ingest/request
 * What an ingestion job is asked to do, validated with zod (the same schema validates API bodies).
 */
import { z } from 'zod';
import { PII_TYPES } from '../guardrails/pii.ts';

const recordOptions = z
  .object({
    idField: z.string().min(1).optional(),
    titleField: z.string().min(1).optional(),
    textFields: z.array(z.string().min(1)).min(1).optional(),
  })
  .strict();

/** Longest path or URL a source may name. */
const MAX_LOCATION_LENGTH = 4096;

/**
 * Personal data to take out of a source's text before it is stored (ingest/redaction.ts): `redact`
 * names the kinds, `pii: "redact"` means all of them; `pii: "keep"` (the default) stores text as is.
 */
const piiOptions = {
  redact: z.array(z.enum(PII_TYPES)).min(1).max(PII_TYPES.length).optional(),
  pii: z.enum(['redact', 'keep']).optional(),
};

/** One thing to ingest. Only http and https URLs; other schemes are refused, never read as paths. */
export const ingestSourceSchema = z.discriminatedUnion('kind', [
  z
    .object({ kind: z.literal('path'), path: z.string().min(1).max(MAX_LOCATION_LENGTH), ...piiOptions })
    .strict(),
  z
    .object({
      kind: z.literal('url'),
      url: z
        .url({ protocol: /^https?$/, error: 'only http and https URLs can be ingested' })
        .max(MAX_LOCATION_LENGTH),
      ...piiOptions,
    })
    .strict(),
  /** An object of a server-side source (src/sources), read by the source's reader; only syncs queue these. */
  z
    .object({
      kind: z.literal('object'),
      sourceId: z.string().uuid(),
      key: z.string().min(1).max(MAX_LOCATION_LENGTH),
      ...piiOptions,
    })
    .strict(),
  z
    .object({
      kind: z.literal('upload'),
      uploadId: z.string().uuid(),
      fileName: z.string().min(1),
      ...piiOptions,
    })
    .strict(),
]);

/** A job request. */
export const ingestRequestSchema = z
  .object({
    /** At least one, unless the job only removes (a source sync whose changes are all deletions). */
    sources: z.array(ingestSourceSchema).max(10_000),
    /**
     * Documents to remove, by origin URI, after the items are processed (a source's sync: objects gone
     * from its bucket, URLs taken off its list). Only source syncs may queue removals.
     */
    remove: z.array(z.string().min(1).max(MAX_LOCATION_LENGTH)).max(10_000).optional(),
    /** Remove documents under a folder source whose files are gone. */
    sync: z.boolean().default(false),
    /** Principals allowed to read the documents; `*` means everyone in the tenant. */
    acl: z.array(z.string().min(1).max(200)).min(1).max(100).default(['*']),
    metadata: z.record(z.string(), z.unknown()).default({}),
    records: recordOptions.optional(),
    ocr: z.boolean().default(true),
    /** Re-ingest even when content hashes match. */
    force: z.boolean().default(false),
  })
  .strict()
  .refine((request) => request.sources.length > 0 || (request.remove?.length ?? 0) > 0, {
    message: 'Too small: expected array to have >=1 items',
    path: ['sources'],
  })
  // Postgres text (and jsonb) cannot hold U+0000: refused here rather than failing the insert.
  .refine((request) => !JSON.stringify(request).includes('\\u0000'), {
    message: 'text in an ingest request may not contain NUL characters (U+0000)',
  });

export type IngestSource = z.infer<typeof ingestSourceSchema>;
export type IngestRequest = z.infer<typeof ingestRequestSchema>;
export type IngestRequestInput = z.input<typeof ingestRequestSchema>;
