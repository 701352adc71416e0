/**
 * @module config/config
 * The one typed configuration object. Environment variables and an optional JSON file map onto it;
 * explicit values win over the file, the file over the environment, the environment over defaults
 * (one merge, config/layers.ts; the variables in one table, config/env-vars.ts).
 * It is validated at start-up with messages that say what to set.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { parseUrlAllowList } from '../ingest/sources/url-allow-list.ts';
import { resolveModelsDir } from '../models/local/models-dir.ts';
import { databaseSchema } from './database-config.ts';
import { embeddingSchema } from './embedding-config.ts';
import { configFromEnv } from './env-vars.ts';
import { guardrailsSchema } from './guardrails-config.ts';
import { mergeLayers } from './layers.ts';
import { llmSchema } from './llm-config.ts';
import { mcpServersSchema } from './mcp-config.ts';

const chunkingSchema = z
  .object({
    maxTokens: z.number().int().min(32).max(8192).default(350),
    overlapTokens: z.number().int().min(0).max(2048).default(50),
  })
  .strict();

const MB = 1024 * 1024;

const limitsSchema = z
  .object({
    /** Largest file accepted; checked before a file is read. */
    maxFileBytes: z
      .number()
      .int()
      .positive()
      .default(100 * MB),
    /** PDFs with more pages fail with `limit_exceeded`. */
    maxPages: z.number().int().positive().default(2000),
    /** An API request (other than a live event stream) that takes longer is answered 504 `request_timeout`. */
    requestTimeoutMs: z.number().int().min(100).max(3_600_000).default(120_000),
    /** DOCX: total declared uncompressed size of the archive (zip-bomb guard). */
    maxUnzippedBytes: z
      .number()
      .int()
      .positive()
      .default(512 * MB),
    /** Wall-clock limit of parsing one file (PDF and DOCX workers are terminated when it passes). */
    parseTimeoutMs: z.number().int().positive().default(60_000),
    /** Heap limit of each parser worker thread. */
    parserMemoryMb: z.number().int().min(64).default(512),
    /** Parser worker threads; defaults to the core count minus one. */
    parserWorkers: z.number().int().min(1).max(64).optional(),
    fetchTimeoutMs: z.number().int().positive().default(30_000),
    /** All files of one upload request together (streamed to disk, so this bounds disk, not memory). */
    maxUploadBytes: z
      .number()
      .int()
      .positive()
      .default(400 * MB),
    /** Files in one upload request (a folder dropped on the web UI is one request). */
    maxUploadFiles: z.number().int().min(1).max(100_000).default(10_000),
  })
  .strict();

const retrievalSchema = z
  .object({
    k1: z.number().min(0).max(10).default(0.9),
    b: z.number().min(0).max(1).default(0.4),
    rrfK: z.number().int().min(1).default(60),
    lexicalWeight: z.number().min(0).default(1),
    vectorWeight: z.number().min(0).default(1),
    candidates: z.number().int().min(10).max(2000).default(100),
    hnswEfSearch: z.number().int().min(10).max(1000).default(100),
    /**
     * `memory` (the default, ADR 0043) keeps each tenant's lexical index in the process (same top k as
     * `sql`, ADR 0037), falling back to SQL while it is being refreshed; `sql` ranks in the database on
     * every query and holds nothing in the process.
     */
    lexicalEngine: z.enum(['sql', 'memory']).default('memory'),
    /**
     * An Elasticsearch/OpenSearch URL: chunks, BM25 and kNN move to that engine (ADR 0044), Postgres
     * keeping documents, jobs and everything else. Unset: retrieval stays in Postgres.
     */
    searchUrl: z.string().url().optional(),
    /** Milliseconds a search in that engine may take before it is a 503 `search_engine_unavailable`. */
    searchTimeoutMs: z.number().int().min(100).max(120_000).default(5000),
    /** Prefix of the engine's index names (several deployments may share one engine). */
    searchIndexPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9_-]{0,60}$/)
      .default('groundwork'),
    /** Bytes the `memory` engine's indexes may hold together; least recently used tenants are dropped. */
    lexicalMemoryBytes: z
      .number()
      .int()
      .positive()
      .default(1024 * MB),
  })
  .strict();

const answerSchema = z
  .object({
    /** Token budget of the passages in a grounded prompt. */
    contextTokens: z.number().int().min(100).max(200_000).default(3000),
    /** Passages retrieved when a request names no limit. */
    retrievalLimit: z.number().int().min(1).max(50).default(8),
    /** Most tokens a generated answer may have. */
    maxOutputTokens: z.number().int().min(16).max(32_000).default(1024),
  })
  .strict();

const answerCacheSchema = z
  .object({
    /** Cache final answers of stateless questions (ADR 0026); GROUNDWORK_ANSWER_CACHE=off disables it. */
    enabled: z.boolean().default(true),
    /** Seconds an answer may be served from the cache. */
    ttlSeconds: z.number().int().min(1).max(86_400).default(600),
    /** Most answers held in memory per process (least recently used go first). */
    maxEntries: z.number().int().min(1).max(1_000_000).default(1000),
  })
  .strict();

const cacheSchema = z.object({ answers: answerCacheSchema.prefault({}) }).strict();

const bucketSchema = z
  .object({
    /** Sustained rate. */
    requestsPerMinute: z.number().int().min(1).max(1_000_000),
    /** Requests allowed at once on top of the rate (the bucket's size). */
    burst: z.number().int().min(1).max(1_000_000),
  })
  .strict();

const rateLimitsSchema = z
  .object({
    /** Each API key's own bucket, so one key's flood cannot slow another key. */
    perKey: bucketSchema.default({ requestsPerMinute: 600, burst: 60 }),
    /** Each tenant's bucket, shared by its keys (and by anonymous callers when auth is off). */
    perTenant: bucketSchema.default({ requestsPerMinute: 6000, burst: 600 }),
  })
  .strict();

const observabilitySchema = z
  .object({
    /** Tracing and metrics; off only to measure their cost (GROUNDWORK_OBSERVABILITY=off). */
    enabled: z.boolean({ error: 'observability.enabled must be true or false' }).default(true),
    /** Fraction of traces kept, 0 to 1 (GROUNDWORK_TRACE_SAMPLE_RATIO). Metrics count every request. */
    sampleRatio: z
      .number({ error: 'set GROUNDWORK_TRACE_SAMPLE_RATIO to a number from 0 to 1' })
      .min(0, 'set GROUNDWORK_TRACE_SAMPLE_RATIO to a number from 0 to 1')
      .max(1, 'set GROUNDWORK_TRACE_SAMPLE_RATIO to a number from 0 to 1')
      .default(1),
    /** Prompt and completion text in spans: `off`, `truncated` (~1 KB) or `full`; always PII-scrubbed. */
    contentCapture: z
      .enum(['off', 'truncated', 'full'], {
        error: 'set GROUNDWORK_TRACE_CONTENT to off, truncated or full',
      })
      .default('truncated'),
    /** Stored traces older than this are deleted (GROUNDWORK_TRACE_RETENTION_DAYS). */
    retentionDays: z
      .number({ error: 'set GROUNDWORK_TRACE_RETENTION_DAYS to a whole number of days from 1 to 3650' })
      .int('set GROUNDWORK_TRACE_RETENTION_DAYS to a whole number of days from 1 to 3650')
      .min(1, 'set GROUNDWORK_TRACE_RETENTION_DAYS to a whole number of days from 1 to 3650')
      .max(3650, 'set GROUNDWORK_TRACE_RETENTION_DAYS to a whole number of days from 1 to 3650')
      .default(7),
    /** An OTLP/HTTP collector (OTEL_EXPORTER_OTLP_ENDPOINT, e.g. http://localhost:4318); none by default. */
    otlpEndpoint: z
      .string()
      .url('set OTEL_EXPORTER_OTLP_ENDPOINT to the collector URL, e.g. http://localhost:4318')
      .optional(),
    /** Each OTLP export is abandoned after this long. */
    otlpTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
    /** Log level (LOG_LEVEL). */
    logLevel: z
      .enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'], {
        error: 'set LOG_LEVEL to trace, debug, info, warn, error, fatal or silent',
      })
      .default('info'),
  })
  .strict();

const priceSchema = z
  .object({
    /** USD per million input (prompt) tokens. */
    inputPerMillion: z.number().min(0).max(10_000),
    /** USD per million output (completion) tokens. */
    outputPerMillion: z.number().min(0).max(10_000),
  })
  .strict();

const budgetSchema = z
  .object({
    /** Most USD a tenant's answers may cost per calendar month (UTC). */
    monthlyUsd: z.number().positive().optional(),
    /** Most input plus output tokens a tenant's answers may use per calendar month (UTC). */
    monthlyTokens: z.number().int().positive().optional(),
  })
  .strict()
  .refine((budget) => budget.monthlyUsd !== undefined || budget.monthlyTokens !== undefined, {
    message: 'set monthlyUsd, monthlyTokens or both',
  });

/** OIDC/JWT bearer tokens from an identity provider, besides API keys (docs/decisions/0020-oidc-bearer-tokens.md). */
const oidcSchema = z
  .object({
    issuer: z.string().url('oidc.issuer must be the issuer URL, as in the tokens’ iss claim'),
    audience: z.string().min(1, 'oidc.audience must name the audience the tokens are issued for'),
    jwksUri: z.string().url('oidc.jwksUri must be a URL').optional(),
    tenantClaim: z.string().min(1).optional(),
    tenant: z.string().min(1).optional(),
    roleClaim: z.string().min(1).default('groundwork_role'),
    defaultRole: z.enum(['customer', 'operator', 'admin']).default('customer'),
    groupsClaim: z.string().min(1).default('groups'),
    clockToleranceSeconds: z.number().int().min(0).max(300).default(30),
  })
  .strict();

/** Signed customer sessions (identity/sessions.ts). */
const sessionsSchema = z
  .object({
    /**
     * The signing secret (GROUNDWORK_SESSION_SECRET), at least 32 characters; when absent one is
     * generated once and kept in the data dir. Set it when several processes share a Postgres server.
     */
    secret: z.string().min(32, 'sessions.secret must have at least 32 characters').optional(),
    /** Lifetime of a session when the request names none. */
    defaultTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(3600),
    /** The longest lifetime a request may ask for. */
    maxTtlSeconds: z
      .number()
      .int()
      .min(60)
      .max(30 * 86_400)
      .default(7 * 86_400),
  })
  .strict();

const ingestSchema = z
  .object({
    /**
     * Internal sites URL ingestion may reach (GROUNDWORK_INGEST_ALLOWED_URL_HOSTS, comma-separated):
     * host names, `*.suffix`, addresses or networks such as `10.0.0.0/8`. Everything else must resolve
     * to public addresses only.
     */
    allowedUrlHosts: z
      .array(z.string())
      .superRefine((entries, context) => {
        for (const problem of parseUrlAllowList(entries).problems)
          context.addIssue({ code: 'custom', message: problem });
      })
      .default([]),
    /** Job leases, retries and fairness (ADRs 0034, 0069); each also from GROUNDWORK_INGEST_<NAME>. */
    /** A running job whose worker is silent this long is taken over (GROUNDWORK_INGEST_LEASE_MS). */
    leaseMs: z.number().int().min(200).default(60_000),
    /** Lease renewal while a job runs; default a quarter of the lease. */
    heartbeatMs: z.number().int().min(20).optional(),
    /** Starts of an item before a transient failure is final (GROUNDWORK_INGEST_MAX_ATTEMPTS). */
    maxItemAttempts: z.number().int().min(1).max(20).default(3),
    /** First retry delay, doubled per attempt up to `retryMaxMs` (GROUNDWORK_INGEST_RETRY_BASE_MS). */
    retryBaseMs: z.number().int().min(0).default(5_000),
    retryMaxMs: z.number().int().min(0).default(300_000),
    /** Expired leases of one job before it fails (GROUNDWORK_INGEST_MAX_WORKER_LOSSES). */
    maxWorkerLosses: z.number().int().min(0).default(5),
    /** Jobs one tenant may have running at once (GROUNDWORK_INGEST_TENANT_CONCURRENCY). */
    tenantConcurrency: z.number().int().min(1).default(1),
    /** Jobs one worker process runs at once (GROUNDWORK_INGEST_JOB_SLOTS). */
    jobSlots: z.number().int().min(1).max(64).default(2),
    /** API submissions beyond these per tenant answer 429 ingest_queue_full (..._TENANT_MAX_QUEUED_JOBS/ITEMS). */
    tenantMaxQueuedJobs: z.number().int().min(1).default(500),
    tenantMaxQueuedItems: z.number().int().min(1).default(20_000),
  })
  .strict();

/** The whole configuration. */
export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('.groundwork'),
    databaseUrl: z.string().url().optional(),
    /** Pool size, timeouts and a read replica for the Postgres server; the embedded database's lock. */
    database: databaseSchema.prefault({}),
    defaultTenant: z.string().min(1).default('default'),
    /**
     * `auto` (the default: the local bge-small-en-v1.5 when installed, else none), `local:<model>`,
     * `test:hash-<dimensions>`, `openai:<model>`, `cohere:<model>`, `openai-compatible:<model>`, or
     * `none` (lexical-only retrieval).
     */
    embedder: z.string().default('auto'),
    /** How hosted embedders are reached and paced (GROUNDWORK_EMBEDDER_*). */
    embedding: embeddingSchema.prefault({}),
    /** The local models cache; default GROUNDWORK_MODELS_DIR or ~/.cache/groundwork/models. */
    modelsDir: z.string().min(1).optional(),
    /**
     * Where uploaded originals are kept (GROUNDWORK_BLOB_STORE): a folder (`file:///srv/blobs` or a
     * path; default `<dataDir>/blobs`) or an S3-compatible bucket
     * (`s3://bucket/prefix?region=eu-west-1[&endpoint=https://minio:9000]`, credentials from
     * AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN). API and worker processes must share it.
     */
    blobStore: z.string().min(1).optional(),
    /** Folders that API requests may ingest from by path; the CLI operator is trusted. */
    allowedRoots: z.array(z.string()).default([]),
    /** What ingestion may fetch beyond the public internet. */
    ingest: ingestSchema.prefault({}),
    chunking: chunkingSchema.prefault({}),
    limits: limitsSchema.prefault({}),
    retrieval: retrievalSchema.prefault({}),
    answer: answerSchema.prefault({}),
    /** In-memory caches; `answers` caches final answers of stateless questions. */
    cache: cacheSchema.prefault({}),
    ingestConcurrency: z.number().int().min(1).max(64).default(2),
    /** The language model for generated answers; `none` answers extractively. */
    llm: llmSchema.prefault({}),
    /**
     * HTTP authentication: `required` (an API key on every /v1 request), `off` (every caller is an
     * anonymous member of the default tenant), or `auto`: off until the first API key exists.
     */
    auth: z.enum(['auto', 'required', 'off']).default('auto'),
    rateLimits: rateLimitsSchema.prefault({}),
    /**
     * A bearer token that may scrape `/metrics` without an API key (GROUNDWORK_METRICS_TOKEN): the
     * platform scope for a Prometheus server, since the metrics span every tenant.
     */
    metricsToken: z
      .string()
      .regex(/^\S{24,512}$/, 'GROUNDWORK_METRICS_TOKEN must be 24 to 512 characters without spaces')
      .optional(),
    /** Verify bearer JWTs against an OIDC issuer's keys (GROUNDWORK_OIDC_ISSUER, GROUNDWORK_OIDC_AUDIENCE). */
    oidc: oidcSchema.optional(),
    /** Signed customer sessions for chat widgets: lifetimes and the signing secret. */
    sessions: sessionsSchema.prefault({}),
    /** Tracing, metrics and logs. */
    observability: observabilitySchema.prefault({}),
    /**
     * Token prices by `provider:model` (or a prefix of dated ids, or `provider:*`), overriding the
     * defaults in observability/prices.ts, e.g. `{"openai:gpt-4o": {"inputPerMillion": 2.5, "outputPerMillion": 10}}`.
     */
    prices: z
      .record(z.string(), priceSchema)
      .superRefine((prices, context) => {
        for (const key of Object.keys(prices)) {
          if (/^[a-z0-9-]+:(\*|[^*\s]+)$/.test(key)) continue;
          context.addIssue({
            code: 'custom',
            path: [key],
            message: 'a price key is provider:model or provider:*, e.g. openai:gpt-4o',
          });
        }
      })
      .default({}),
    /** Monthly budgets by tenant id; a tenant over its budget gets 429 `budget_exceeded` on answers. */
    budgets: z.record(z.string().min(1), budgetSchema).default({}),
    guardrails: guardrailsSchema.prefault({}),
    /** MCP servers whose tools the agents may call (stdio command or streamable HTTP URL). */
    mcpServers: mcpServersSchema.default([]),
  })
  .strict();

/** The validated configuration; `loadConfig` always resolves `modelsDir`. */
export type Config = Omit<z.infer<typeof configSchema>, 'modelsDir'> & { readonly modelsDir: string };
/** The `guardrails` section. */
export type GuardrailsConfig = Config['guardrails'];
/** The `llm` section, as `resolveLanguageModel` takes it. */
export type LlmConfig = Config['llm'];
export type ConfigInput = z.input<typeof configSchema>;

/**
 * Reads env vars and `groundwork.config.json` (or GROUNDWORK_CONFIG), merges them with `overrides`
 * (defaults < environment < file < overrides, config/layers.ts), validates.
 */
export function loadConfig(
  overrides: ConfigInput = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Config {
  const file = readConfigFile(
    env.GROUNDWORK_CONFIG ?? path.join(cwd, 'groundwork.config.json'),
    !!env.GROUNDWORK_CONFIG,
  );
  const merged = mergeLayers(configFromEnv(env), file, overrides as Record<string, unknown>);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`, { issues: parsed.error.issues });
  }
  const config = parsed.data;
  if (config.database.replicaUrl && !config.databaseUrl) {
    throw new ConfigError(
      'DATABASE_REPLICA_URL is set without DATABASE_URL: a read replica needs a Postgres server as its primary.',
    );
  }
  const inMemory = config.dataDir.startsWith('memory://');
  return {
    ...config,
    dataDir: inMemory ? config.dataDir : path.resolve(cwd, config.dataDir),
    modelsDir: config.modelsDir ? path.resolve(cwd, config.modelsDir) : resolveModelsDir(env),
  };
}

function readConfigFile(file: string, required: boolean): Record<string, unknown> {
  if (!existsSync(file)) {
    if (required) throw new ConfigError(`GROUNDWORK_CONFIG points to ${file}, which does not exist.`);
    return {};
  }
  try {
    const value: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      throw new Error('the file must hold one JSON object');
    }
    return value as Record<string, unknown>;
  } catch (error) {
    throw new ConfigError(`Cannot read config file ${file}: ${(error as Error).message}`);
  }
}
