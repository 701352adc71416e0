/**
 * @module sources/schema
 * What `POST /v1/sources` and `PATCH /v1/sources/{id}` accept, and what the routes answer (the same
 * zod schemas validate bodies and document the API). Credentials are accepted, never answered.
 */
import { z } from 'zod';

const MAX_LOCATION = 4096;
/** Text Postgres can store (no U+0000). */
const text = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'may not contain NUL characters (U+0000)');

/** `30s`…`7d`; at least one minute. */
export const syncEverySchema = z
  .string()
  .regex(/^\d{1,6}[smhd]$/, 'a number and a unit, such as "15m", "1h" or "1d"')
  .refine((value) => durationSeconds(value) >= 60, 'at least one minute ("1m")')
  .refine((value) => durationSeconds(value) <= 30 * 86_400, 'at most 30 days ("30d")');

/** Seconds of a `syncEvery` value. */
export function durationSeconds(value: string): number {
  const unit = value.at(-1) as 's' | 'm' | 'h' | 'd';
  return Number(value.slice(0, -1)) * { s: 1, m: 60, h: 3600, d: 86_400 }[unit];
}

/** The `syncEvery` form of a number of seconds (the largest unit that divides it). */
export function formatDuration(seconds: number): string {
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const)
    if (seconds % size === 0) return `${seconds / size}${unit}`;
  return `${seconds}s`;
}

const httpUrl = z.url({ protocol: /^https?$/, error: 'only http and https URLs' }).max(MAX_LOCATION);

/** S3 access keys; the secret is stored encrypted and never answered. */
export const s3CredentialsSchema = z
  .object({ accessKeyId: text(256), secretAccessKey: text(1024), sessionToken: text(4096).optional() })
  .strict();

const s3Fields = {
  bucket: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/,
      'an S3 bucket name (3–63 lower-case letters, digits, dots, hyphens)',
    ),
  prefix: z
    .string()
    .max(1024)
    .refine((value) => !value.includes('\u0000'))
    .default(''),
  region: z
    .string()
    .regex(/^[a-z0-9-]{1,40}$/, 'a region such as "us-east-1"')
    .default('us-east-1'),
  /** A custom endpoint (MinIO, R2, GCS's S3 API); AWS when absent. */
  endpoint: httpUrl.optional(),
  pathStyle: z.boolean().optional(),
};

const common = {
  name: text(200),
  acl: z.array(text(200)).min(1).max(100).default(['*']),
  metadata: z.record(z.string(), z.unknown()).default({}),
  syncEvery: syncEverySchema.optional(),
};

/** The body of `POST /v1/sources`. */
export const createSourceSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('folder'), path: text(MAX_LOCATION), ...common }).strict(),
  z.object({ kind: z.literal('urls'), urls: z.array(httpUrl).min(1).max(1000), ...common }).strict(),
  z.object({ kind: z.literal('s3'), ...s3Fields, credentials: s3CredentialsSchema, ...common }).strict(),
]);

/** The body of `PATCH /v1/sources/{id}`: any field of the source's kind; `syncEvery: null` stops the schedule. */
export const updateSourceSchema = z
  .object({
    name: common.name.optional(),
    acl: z.array(text(200)).min(1).max(100).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    syncEvery: syncEverySchema.nullable().optional(),
    path: text(MAX_LOCATION).optional(),
    urls: z.array(httpUrl).min(1).max(1000).optional(),
    bucket: s3Fields.bucket.optional(),
    prefix: z.string().max(1024).optional(),
    region: s3Fields.region.unwrap().optional(),
    endpoint: httpUrl.nullable().optional(),
    pathStyle: z.boolean().optional(),
    credentials: s3CredentialsSchema.optional(),
  })
  .strict();

export type CreateSourceInput = z.input<typeof createSourceSchema>;
export type CreateSource = z.infer<typeof createSourceSchema>;
export type UpdateSource = z.infer<typeof updateSourceSchema>;

/** Settings of a source as stored in `config` (never credentials). */
export type SourceConfig =
  | { readonly kind: 'folder'; readonly path: string }
  | { readonly kind: 'urls'; readonly urls: readonly string[] }
  | {
      readonly kind: 's3';
      readonly bucket: string;
      readonly prefix: string;
      readonly region: string;
      readonly endpoint?: string;
      readonly pathStyle?: boolean;
    };

const lastSyncSchema = z.object({
  at: z.string(),
  /** `failed` when the source could not be read (listing, access); otherwise its job's status. */
  status: z.string(),
  code: z.string().nullable(),
  error: z.string().nullable(),
  jobId: z.string().nullable(),
});

/** A source as the API answers it. */
export const sourceBodySchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.enum(['folder', 'urls', 's3']),
  config: z.record(z.string(), z.unknown()),
  /** Whether credentials are stored (they are never answered). */
  hasCredentials: z.boolean(),
  acl: z.array(z.string()),
  metadata: z.record(z.string(), z.unknown()),
  syncEvery: z.string().nullable(),
  nextSyncAt: z.string().nullable(),
  lastSync: lastSyncSchema.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export type SourceBody = z.infer<typeof sourceBodySchema>;
