/**
 * @module server/openapi/responses
 * Response bodies, as zod schemas, for the OpenAPI document only: responses are built from typed
 * services, so unlike request bodies they are not parsed at run time. Each names every field its
 * handler sends, enums as enums; `test/web/api-contract.test.ts` parses real responses with them and
 * fails on a field a handler sends that its schema does not name (objects here strip what they do
 * not declare, and their JSON Schema says `additionalProperties: false`). A number that may be NaN
 * on the server is `null` on the wire (JSON has no NaN).
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
  /** The registry prompt that produced the answer, when the answerer renders from the registry. */
  promptVersion: z
    .object({
      name: z.string(),
      version: z.number().int(),
      experiment: z.object({ id: z.string(), arm: z.string() }).optional(),
    })
    .optional(),
  /** Present and true when the answer was served from the answer cache (no model call, zero tokens). */
  cached: z.boolean().optional(),
});

/** A chat turn's answer. */
export const chatResultSchema = askResultSchema.extend({ conversationId: z.string() });

/** `POST /v1/search`. */
export const searchResultSchema = z.object({
  mode: z.enum(['lexical', 'vector', 'hybrid']),
  chunks: z.array(
    z.object({
      chunkId: z.number().int(),
      documentId: z.number().int(),
      documentUri: z.string(),
      /** Where the document was read from (its upload, path or URL); `documentUri` names it. */
      originUri: z.string(),
      title: z.string().nullable(),
      ordinal: z.number().int(),
      headingPath: z.array(z.string()),
      page: z.number().int().nullable(),
      text: z.string(),
      snippet: z.string(),
      metadata: z.record(z.string(), z.unknown()),
      /** Each retriever's score and 1-based rank; `fused` is the ranking score. */
      scores: z.object({
        lexical: z.number().optional(),
        lexicalRank: z.number().int().optional(),
        vector: z.number().optional(),
        vectorRank: z.number().int().optional(),
        fused: z.number(),
      }),
    }),
  ),
  timings: z.object({
    embedMs: z.number(),
    lexicalMs: z.number(),
    vectorMs: z.number(),
    totalMs: z.number(),
  }),
});

const job = z.object({
  id: z.string(),
  tenantId: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed', 'cancelled']),
  /** The ingestion request as queued (its sources, ACL, options). */
  request: z.unknown(),
  total: z.number().int(),
  processed: z.number().int(),
  succeeded: z.number().int(),
  skipped: z.number().int(),
  failed: z.number().int(),
  removed: z.number().int(),
  chunks: z.number().int(),
  error: z.string().nullable(),
  /** Claims of the job (ADR 0034): each run, resume or retry pass is one. */
  attempts: z.number().int(),
  /** The fencing token of the current (or last) claim. */
  claimEpoch: z.number().int(),
  /** Leases that expired while a worker held it (it died or hung). */
  workerLosses: z.number().int(),
  /** A queued job waiting for item retries is not run before this. */
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
});

/** One job. */
export const jobBodySchema = z.object({ job });
/** The job list. */
export const jobListSchema = z.object({ jobs: z.array(job) });
/** One job with its per-file outcomes. */
export const jobDetailSchema = z.object({
  job,
  items: z.array(
    z.object({
      ordinal: z.number().int(),
      uri: z.string(),
      status: z.enum(['pending', 'done', 'updated', 'unchanged', 'failed', 'removed']),
      code: z.string().nullable(),
      reason: z.string().nullable(),
      documents: z.number().int(),
      chunks: z.number().int(),
      bytes: z.number().int().nullable(),
      durationMs: z.number().nullable(),
      /** Times the item was started. */
      attempts: z.number().int(),
      /** A pending item that failed transiently is tried again then. */
      nextRetryAt: z.string().nullable(),
    }),
  ),
});

const documentFields = {
  id: z.number().int(),
  uri: z.string(),
  title: z.string().nullable(),
  mediaType: z.string().nullable(),
  metadata: z.record(z.string(), z.unknown()),
  /** Principals who may read it; `*` is everyone. */
  acl: z.array(z.string()),
  pageCount: z.number().int().nullable(),
  chunkCount: z.number().int(),
  createdAt: z.string(),
  updatedAt: z.string(),
};

/** The document list. */
export const documentListSchema = z.object({
  documents: z.array(
    z.object({ ...documentFields, tokenCount: z.number().int(), byteSize: z.number().int().nullable() }),
  ),
});
/** One document with its chunks. */
export const documentDetailSchema = z.object({
  document: z.object(documentFields),
  chunks: z.array(
    z.object({
      id: z.number().int(),
      ordinal: z.number().int(),
      text: z.string(),
      headingPath: z.array(z.string()),
      page: z.number().int().nullable(),
      tokenCount: z.number().int(),
    }),
  ),
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
export const chatCompletionSchema = z.object({
  id: z.string(),
  object: z.literal('chat.completion'),
  created: z.number().int(),
  model: z.string(),
  choices: z.array(
    z.object({
      index: z.number().int(),
      message: z.object({ role: z.literal('assistant'), content: z.string(), refusal: z.null() }),
      logprobs: z.null(),
      finish_reason: z.literal('stop'),
    }),
  ),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number() }),
  ...grounding,
  /** The model that wrote the answer (`provider:model`); null when it was quoted. */
  answer_model: z.string().nullable(),
  notes: z.array(z.string()),
});

/** Liveness. */
export const healthSchema = z.object({ status: z.literal('ok') });
/** Readiness (503 answers carry an error body instead). */
export const readinessSchema = z.object({
  status: z.literal('ready'),
  database: z.enum(['pglite', 'postgres']),
});

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
