/**
 * @module server/openapi/responses
 * Response bodies, as zod schemas, for the OpenAPI document only: responses are built from typed
 * services, so unlike request bodies they are not parsed at run time. Nested rows are open objects
 * (`looseObject`) that name their main fields.
 */
import { z } from 'zod';

/** The event stream of an answer route, described in words. */
export const ANSWER_EVENTS =
  'With `stream: true` or `Accept: text/event-stream`: events `retrieval-done`, `text-delta`…, `citations`, then `done` (data: the event as JSON, `done.result` is the full answer) or `error` `{code, message}`.';

/** Every error of our own routes. */
export const errorBodySchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

/** Errors of the OpenAI-compatible routes. */
export const openAIErrorBodySchema = z.object({
  error: z.object({ message: z.string(), type: z.string(), param: z.string().nullable(), code: z.string() }),
});

/** A cited passage. */
export const citationSchema = z.object({
  n: z.number().int(),
  documentId: z.number().int(),
  chunkId: z.number().int(),
  title: z.string().nullable(),
  source: z.string(),
  page: z.number().int().nullable(),
  headingPath: z.array(z.string()),
  snippet: z.string(),
  score: z.number(),
});

/** `AskResult`. */
export const askResultSchema = z.object({
  answer: z.string(),
  citations: z.array(citationSchema),
  mode: z.enum(['generative', 'extractive']),
  model: z.string().nullable(),
  usage: z.object({ inputTokens: z.number(), outputTokens: z.number() }),
  /** `usage` by the model that spent it (condensing may use a cheaper model; a fallback may answer). */
  usageByModel: z
    .array(z.object({ model: z.string(), inputTokens: z.number(), outputTokens: z.number() }))
    .optional(),
  timings: z.object({ retrieveMs: z.number(), generateMs: z.number(), totalMs: z.number() }),
  traceId: z.string(),
  removedCitations: z.number().int(),
  notes: z.array(z.string()),
  /** Present and true when the answer was served from the answer cache (no model call, zero tokens). */
  cached: z.boolean().optional(),
});

/** A chat turn's answer. */
export const chatResultSchema = askResultSchema.extend({ conversationId: z.string() });

/** `POST /v1/search`. */
export const searchResultSchema = z.object({
  mode: z.enum(['lexical', 'vector', 'hybrid']),
  chunks: z.array(
    z.looseObject({
      chunkId: z.number().int(),
      documentId: z.number().int(),
      documentUri: z.string(),
      title: z.string().nullable(),
      headingPath: z.array(z.string()),
      page: z.number().int().nullable(),
      text: z.string(),
      snippet: z.string(),
      scores: z.record(z.string(), z.unknown()),
    }),
  ),
  timings: z.record(z.string(), z.number()),
});

const job = z.looseObject({
  id: z.string(),
  status: z.string(),
  total: z.number().int(),
  processed: z.number().int(),
  failed: z.number().int(),
  /** Claims of the job (ADR 0034): each run, resume or retry pass is one. */
  attempts: z.number().int(),
  /** Leases that expired while a worker held it (it died or hung). */
  workerLosses: z.number().int(),
  /** A queued job waiting for item retries is not run before this. */
  nextAttemptAt: z.string().nullable(),
});

/** One job. */
export const jobBodySchema = z.object({ job });
/** The job list. */
export const jobListSchema = z.object({ jobs: z.array(job) });
/** One job with its per-file outcomes. */
export const jobDetailSchema = z.object({
  job,
  items: z.array(
    z.looseObject({
      uri: z.string(),
      status: z.string(),
      code: z.string().nullable(),
      /** Times the item was started. */
      attempts: z.number().int(),
      /** A pending item that failed transiently is tried again then. */
      nextRetryAt: z.string().nullable(),
    }),
  ),
});

const document = z.looseObject({ id: z.number().int(), uri: z.string(), title: z.string().nullable() });

/** The document list. */
export const documentListSchema = z.object({ documents: z.array(document) });
/** One document with its chunks. */
export const documentDetailSchema = z.object({
  document,
  chunks: z.array(z.looseObject({ id: z.number().int(), ordinal: z.number().int(), text: z.string() })),
});

/** `multipart/form-data` of `POST /v1/documents`. */
export const uploadFormSchema = z.object({
  file: z.array(z.string().meta({ format: 'binary' })).meta({ description: 'One or more files.' }),
  acl: z.string().optional().meta({ description: 'Comma-separated principals; default everyone.' }),
  redact: z.string().optional().meta({
    description:
      'Personal data to take out before the text is stored: `all`, or comma-separated kinds (email, phone, card, iban, national_id, address, ip, secret). The original file is then not kept.',
  }),
});

/** `GET /v1/models`. */
export const modelListSchema = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.string() }),
  ),
});

const grounding = {
  citations: z.array(citationSchema),
  mode: z.enum(['generative', 'extractive']),
};

/** A `chat.completion`, with groundwork's extra fields. */
export const chatCompletionSchema = z.looseObject({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({ role: z.literal('assistant'), content: z.string() }),
      finish_reason: z.literal('stop'),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
  ...grounding,
});

/** Health and readiness. */
export const healthSchema = z.looseObject({ status: z.string() });

/** An API key as lists show it (never its secret). */
const apiKey = z.object({
  id: z.string(),
  tenantId: z.string(),
  name: z.string(),
  role: z.enum(['customer', 'operator', 'admin']),
  principals: z.array(z.string()),
  prefix: z.string(),
  createdAt: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
  rotatedFrom: z.string().nullable(),
  platform: z.boolean(),
  quota: z
    .object({
      period: z.enum(['day', 'month']),
      requests: z.number().int().optional(),
      tokens: z.number().int().optional(),
    })
    .nullable(),
  usage: z
    .object({ requests: z.number(), tokens: z.number(), periodStart: z.string(), resetsAt: z.string() })
    .nullable(),
});

/** A new or rotated key with its secret, shown in this response only. */
export const issuedKeySchema = z.object({ key: apiKey, secret: z.string() });
/** `GET /v1/admin/keys`. */
export const keyListSchema = z.object({ keys: z.array(apiKey) });
/** A revoked key, or one whose quota changed. */
export const keyBodySchema = z.object({ key: apiKey });

/** A customer session as the API shows it (never the token). */
const customerSession = z.object({
  id: z.string(),
  tenantId: z.string(),
  customerId: z.string().nullable(),
  customerEmail: z.string().nullable(),
  verifiedBy: z.enum(['issuer', 'order-and-email']).nullable(),
  issuedBy: z.string(),
  issuedByKey: z.string().nullable(),
  createdAt: z.string(),
  expiresAt: z.string(),
  revokedAt: z.string().nullable(),
});
/** `POST /v1/sessions`: the token, once. */
export const issuedSessionSchema = z.object({
  token: z.string(),
  sessionId: z.string(),
  expiresAt: z.string(),
  customer: z.object({ customerId: z.string(), email: z.string().nullable() }).optional(),
});
/** `DELETE /v1/sessions/:id`. */
export const sessionBodySchema = z.object({ session: customerSession });
/** `DELETE /v1/sessions?keyId=`: how many live sessions of the key ended. */
export const revokedSessionsSchema = z.object({ keyId: z.string(), revoked: z.number().int() });

/** `GET /v1/me`: with auth off, an anonymous admin of the default tenant with no key. */
export const meSchema = z.object({
  tenantId: z.string(),
  role: z.enum(['customer', 'operator', 'admin']),
  keyId: z.string().nullable(),
  keyPrefix: z.string().nullable(),
  keyName: z.string().nullable(),
  expiresAt: z.string().nullable(),
  authenticated: z.boolean(),
});
