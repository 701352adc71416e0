/**
 * @module config/config
 * The one typed configuration object. Environment variables and an optional JSON file map onto it;
 * explicit values win over the file, the file over the environment, the environment over defaults.
 * It is validated at start-up with messages that say what to set.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from '../errors.ts';
import { resolveModelsDir } from '../models/local/models-dir.ts';
import { llmFromEnv, llmSchema } from './llm-config.ts';
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

/** The whole configuration. */
export const configSchema = z
  .object({
    dataDir: z.string().min(1).default('.groundwork'),
    databaseUrl: z.string().url().optional(),
    defaultTenant: z.string().min(1).default('default'),
    /**
     * `auto` (the default: the local bge-small-en-v1.5 when installed, else none), `local:<model>`,
     * `test:hash-<dimensions>`, or `none` (lexical-only retrieval).
     */
    embedder: z.string().default('auto'),
    /** The local models cache; default GROUNDWORK_MODELS_DIR or ~/.cache/groundwork/models. */
    modelsDir: z.string().min(1).optional(),
    /** Folders that API requests may ingest from by path; the CLI operator is trusted. */
    allowedRoots: z.array(z.string()).default([]),
    chunking: chunkingSchema.default({ maxTokens: 350, overlapTokens: 50 }),
    limits: limitsSchema.default(() => limitsSchema.parse({})),
    retrieval: retrievalSchema.default(() => retrievalSchema.parse({})),
    answer: answerSchema.default(() => answerSchema.parse({})),
    ingestConcurrency: z.number().int().min(1).max(64).default(2),
    /** The language model for generated answers; `none` answers extractively. */
    llm: llmSchema.default(() => llmSchema.parse({})),
    /**
     * HTTP authentication: `required` (an API key on every /v1 request), `off` (every caller is an
     * anonymous member of the default tenant), or `auto`: off until the first API key exists.
     */
    auth: z.enum(['auto', 'required', 'off']).default('auto'),
    rateLimits: rateLimitsSchema.default(() => rateLimitsSchema.parse({})),
    /** MCP servers whose tools the agents may call (stdio command or streamable HTTP URL). */
    mcpServers: mcpServersSchema.default([]),
  })
  .strict();

/** The validated configuration; `loadConfig` always resolves `modelsDir`. */
export type Config = Omit<z.infer<typeof configSchema>, 'modelsDir'> & { readonly modelsDir: string };
/** The `llm` section, as `resolveLanguageModel` takes it. */
export type LlmConfig = Config['llm'];
export type ConfigInput = z.input<typeof configSchema>;

/** Reads env vars and `groundwork.config.json` (or GROUNDWORK_CONFIG), merges `overrides`, validates. */
export function loadConfig(
  overrides: ConfigInput = {},
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): Config {
  const fromEnv: Record<string, unknown> = {};
  if (env.GROUNDWORK_DATA_DIR) fromEnv.dataDir = env.GROUNDWORK_DATA_DIR;
  if (env.DATABASE_URL) fromEnv.databaseUrl = env.DATABASE_URL;
  if (env.GROUNDWORK_TENANT) fromEnv.defaultTenant = env.GROUNDWORK_TENANT;
  if (env.GROUNDWORK_EMBEDDER) fromEnv.embedder = env.GROUNDWORK_EMBEDDER;
  if (env.GROUNDWORK_MODELS_DIR) fromEnv.modelsDir = env.GROUNDWORK_MODELS_DIR;
  if (env.GROUNDWORK_AUTH) fromEnv.auth = env.GROUNDWORK_AUTH;
  if (env.GROUNDWORK_ALLOWED_ROOTS) fromEnv.allowedRoots = env.GROUNDWORK_ALLOWED_ROOTS.split(path.delimiter);
  if (env.GROUNDWORK_MCP_SERVERS)
    fromEnv.mcpServers = parseJsonEnv('GROUNDWORK_MCP_SERVERS', env.GROUNDWORK_MCP_SERVERS);
  const llm = llmFromEnv(env);
  if (Object.keys(llm).length > 0) fromEnv.llm = llm;
  const file = readConfigFile(
    env.GROUNDWORK_CONFIG ?? path.join(cwd, 'groundwork.config.json'),
    !!env.GROUNDWORK_CONFIG,
  );
  const merged: Record<string, unknown> = { ...fromEnv, ...file, ...overrides };
  // One level deeper for `llm`, so a key from the environment survives a model set in the file.
  const llmLayers = [fromEnv.llm, file.llm, overrides.llm].filter(isPlainObject);
  if (llmLayers.length > 0) merged.llm = Object.assign({}, ...llmLayers);
  const parsed = configSchema.safeParse(merged);
  if (!parsed.success) {
    const problems = parsed.error.issues.map(
      (issue) => `  - ${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new ConfigError(`Invalid configuration:\n${problems.join('\n')}`, { issues: parsed.error.issues });
  }
  const config = parsed.data;
  const inMemory = config.dataDir.startsWith('memory://');
  return {
    ...config,
    dataDir: inMemory ? config.dataDir : path.resolve(cwd, config.dataDir),
    modelsDir: config.modelsDir ? path.resolve(cwd, config.modelsDir) : resolveModelsDir(env),
  };
}

function parseJsonEnv(name: string, value: string): unknown {
  try {
    return JSON.parse(value);
  } catch (error) {
    throw new ConfigError(`${name} must be JSON (a list of MCP servers): ${(error as Error).message}`);
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
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
