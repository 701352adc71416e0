/**
 * @module config/env-vars
 * Every environment variable the configuration reads, in one table: the variable, the config key it
 * sets, and how its text becomes a value. `configFromEnv` turns the environment into one layer of
 * the layered merge (config/layers.ts). An empty variable counts as unset unless its row says otherwise.
 */
import path from 'node:path';
import { ConfigError } from '../errors.ts';

/** Turns the text of a variable into a config value; `undefined` leaves the key unset. */
type Reader = (raw: string, name: string, env: NodeJS.ProcessEnv) => unknown;

/** One row of the table. */
export interface EnvVariable {
  readonly name: string;
  /** Where the value lands, e.g. `['observability', 'sampleRatio']`. */
  readonly key: readonly string[];
  readonly read: Reader;
  /** An empty value is a value (an empty list), not an unset variable. */
  readonly emptyIsSet?: boolean;
  /** Read only when one of these variables is set too (the variable refines a section they open). */
  readonly onlyWith?: readonly string[];
}

/** The text as given. */
const text: Reader = (raw) => raw;
/** The text without surrounding blanks. */
const trimmed: Reader = (raw) => raw.trim();
/** A number; text that is not one stays text, so validation names the variable and the range. */
const numberOrText: Reader = (raw) => (raw.trim() !== '' && Number.isFinite(Number(raw)) ? Number(raw) : raw);
/** A whole number, or a start-up error naming the variable. */
const integer: Reader = (raw, name) => {
  const value = Number(raw);
  if (!Number.isInteger(value)) throw new ConfigError(`${name} must be a whole number, got "${raw}".`);
  return value;
};
/** Digits only (blanks around them allowed), or a start-up error naming the variable. */
const digits: Reader = (raw, name) => {
  const value = raw.trim();
  if (!/^\d+$/.test(value)) throw new ConfigError(`${name} must be a whole number, got "${value}".`);
  return Number(value);
};
/** `off` switches the feature off; any other value leaves the default. */
const offSwitch: Reader = (raw) => (raw === 'off' ? false : undefined);
/** A true/false switch where off, false, 0 and no are false. */
const notOff: Reader = (raw) => !/^(off|false|0|no)$/i.test(raw);
/** A true/false switch where 1, true, yes and on are true. */
const yes: Reader = (raw) => /^(1|true|yes|on)$/i.test(raw);
/** A list split on `separator`, blanks trimmed and empty entries dropped. */
const list =
  (separator: RegExp | string): Reader =>
  (raw) =>
    raw
      .split(separator)
      .map((item) => item.trim())
      .filter((item) => item !== '');

const json: Reader = (raw, name) => {
  try {
    return JSON.parse(raw);
  } catch (error) {
    throw new ConfigError(`${name} must be JSON (a list of MCP servers): ${(error as Error).message}`);
  }
};

const redactForModel: Reader = (raw, name) => {
  const value = raw.trim();
  if (value === '') return undefined;
  if (!['auto', 'on', 'off'].includes(value))
    throw new ConfigError(`${name} must be auto, on or off, got "${value}".`);
  return value === 'auto' ? 'auto' : value === 'on';
};

/**
 * GROUNDWORK_MODERATION_MODEL (`openai-moderation:<model>` or `llama-guard:<model>`) with
 * GROUNDWORK_MODERATION_BASE_URL and GROUNDWORK_MODERATION_API_KEY, as a partial classifier.
 */
const moderationClassifier: Reader = (raw, _name, env) => {
  const spec = raw.trim();
  if (!spec) return undefined;
  const colon = spec.indexOf(':');
  const protocol = colon < 0 ? spec : spec.slice(0, colon);
  const model = colon < 0 ? '' : spec.slice(colon + 1).trim();
  return {
    protocol,
    ...(model ? { model } : {}),
    ...(env.GROUNDWORK_MODERATION_BASE_URL ? { baseUrl: env.GROUNDWORK_MODERATION_BASE_URL.trim() } : {}),
    ...(env.GROUNDWORK_MODERATION_API_KEY ? { apiKey: env.GROUNDWORK_MODERATION_API_KEY } : {}),
  };
};

const OIDC = ['GROUNDWORK_OIDC_ISSUER', 'GROUNDWORK_OIDC_AUDIENCE'];

/** The table. A later row for the same key wins (OTEL_EXPORTER_OTLP_TRACES_ENDPOINT over _ENDPOINT). */
export const ENV_VARIABLES: readonly EnvVariable[] = [
  { name: 'GROUNDWORK_DATA_DIR', key: ['dataDir'], read: text },
  { name: 'DATABASE_URL', key: ['databaseUrl'], read: text },
  { name: 'GROUNDWORK_BLOB_STORE', key: ['blobStore'], read: text },
  { name: 'GROUNDWORK_TENANT', key: ['defaultTenant'], read: text },
  { name: 'GROUNDWORK_EMBEDDER', key: ['embedder'], read: text },
  { name: 'GROUNDWORK_EMBEDDER_API_KEY', key: ['embedding', 'apiKey'], read: text },
  { name: 'GROUNDWORK_EMBEDDER_BASE_URL', key: ['embedding', 'baseUrl'], read: trimmed },
  { name: 'GROUNDWORK_EMBEDDER_DIMENSIONS', key: ['embedding', 'dimensions'], read: digits },
  { name: 'GROUNDWORK_EMBEDDER_BATCH_TOKENS', key: ['embedding', 'batchTokens'], read: digits },
  { name: 'GROUNDWORK_EMBEDDER_MAX_INPUT_TOKENS', key: ['embedding', 'maxInputTokens'], read: digits },
  { name: 'GROUNDWORK_EMBEDDER_CONCURRENCY', key: ['embedding', 'concurrency'], read: digits },
  { name: 'GROUNDWORK_EMBEDDER_TIMEOUT_MS', key: ['embedding', 'timeoutMs'], read: digits },
  { name: 'GROUNDWORK_EMBEDDER_MAX_RETRIES', key: ['embedding', 'maxRetries'], read: digits },
  { name: 'GROUNDWORK_MODELS_DIR', key: ['modelsDir'], read: text },
  { name: 'GROUNDWORK_AUTH', key: ['auth'], read: text },
  { name: 'GROUNDWORK_METRICS_TOKEN', key: ['metricsToken'], read: text },
  { name: 'GROUNDWORK_ALLOWED_ROOTS', key: ['allowedRoots'], read: (raw) => raw.split(path.delimiter) },
  { name: 'GROUNDWORK_MCP_SERVERS', key: ['mcpServers'], read: json },

  { name: 'GROUNDWORK_OIDC_ISSUER', key: ['oidc', 'issuer'], read: text },
  { name: 'GROUNDWORK_OIDC_AUDIENCE', key: ['oidc', 'audience'], read: text },
  { name: 'GROUNDWORK_OIDC_JWKS_URI', key: ['oidc', 'jwksUri'], read: text, onlyWith: OIDC },
  { name: 'GROUNDWORK_OIDC_TENANT_CLAIM', key: ['oidc', 'tenantClaim'], read: text, onlyWith: OIDC },
  { name: 'GROUNDWORK_SESSION_SECRET', key: ['sessions', 'secret'], read: text },

  { name: 'GROUNDWORK_GUARDRAILS', key: ['guardrails', 'enabled'], read: offSwitch },
  { name: 'GROUNDWORK_REDACT_FOR_MODEL', key: ['guardrails', 'redactForModel'], read: redactForModel },
  {
    name: 'GROUNDWORK_MODERATION_MODEL',
    key: ['guardrails', 'moderation', 'classifier'],
    read: moderationClassifier,
  },

  { name: 'GROUNDWORK_LEXICAL_ENGINE', key: ['retrieval', 'lexicalEngine'], read: text },
  { name: 'GROUNDWORK_SEARCH_URL', key: ['retrieval', 'searchUrl'], read: text },
  { name: 'GROUNDWORK_ANSWER_CACHE', key: ['cache', 'answers', 'enabled'], read: offSwitch },

  { name: 'GROUNDWORK_INGEST_ALLOWED_URL_HOSTS', key: ['ingest', 'allowedUrlHosts'], read: list(/[\s,]+/) },
  { name: 'GROUNDWORK_INGEST_LEASE_MS', key: ['ingest', 'leaseMs'], read: integer },
  { name: 'GROUNDWORK_INGEST_HEARTBEAT_MS', key: ['ingest', 'heartbeatMs'], read: integer },
  { name: 'GROUNDWORK_INGEST_MAX_ATTEMPTS', key: ['ingest', 'maxItemAttempts'], read: integer },
  { name: 'GROUNDWORK_INGEST_RETRY_BASE_MS', key: ['ingest', 'retryBaseMs'], read: integer },
  { name: 'GROUNDWORK_INGEST_RETRY_MAX_MS', key: ['ingest', 'retryMaxMs'], read: integer },
  { name: 'GROUNDWORK_INGEST_MAX_WORKER_LOSSES', key: ['ingest', 'maxWorkerLosses'], read: integer },
  { name: 'GROUNDWORK_INGEST_TENANT_CONCURRENCY', key: ['ingest', 'tenantConcurrency'], read: integer },
  { name: 'GROUNDWORK_INGEST_JOB_SLOTS', key: ['ingest', 'jobSlots'], read: integer },
  { name: 'GROUNDWORK_INGEST_TENANT_MAX_QUEUED_JOBS', key: ['ingest', 'tenantMaxQueuedJobs'], read: integer },
  {
    name: 'GROUNDWORK_INGEST_TENANT_MAX_QUEUED_ITEMS',
    key: ['ingest', 'tenantMaxQueuedItems'],
    read: integer,
  },

  { name: 'GROUNDWORK_LLM', key: ['llm', 'model'], read: trimmed },
  { name: 'GROUNDWORK_LLM_BASE_URL', key: ['llm', 'baseUrl'], read: trimmed },
  { name: 'GROUNDWORK_LLM_API_KEY', key: ['llm', 'apiKey'], read: text },
  { name: 'GROUNDWORK_LLM_FALLBACKS', key: ['llm', 'fallbacks'], read: list(','), emptyIsSet: true },
  { name: 'GROUNDWORK_LLM_TIMEOUT_MS', key: ['llm', 'timeoutMs'], read: digits },
  { name: 'GROUNDWORK_LLM_MAX_RETRIES', key: ['llm', 'maxRetries'], read: digits },
  { name: 'GROUNDWORK_LLM_CONDENSE', key: ['llm', 'tasks', 'condense'], read: trimmed },
  { name: 'GROUNDWORK_LLM_SUMMARISE', key: ['llm', 'tasks', 'summarise'], read: trimmed },
  { name: 'GROUNDWORK_LLM_MODERATION', key: ['llm', 'tasks', 'moderation'], read: trimmed },
  { name: 'GROUNDWORK_LLM_JUDGE', key: ['llm', 'tasks', 'judge'], read: trimmed },

  { name: 'GROUNDWORK_DB_POOL_SIZE', key: ['database', 'poolSize'], read: numberOrText },
  { name: 'GROUNDWORK_DB_STATEMENT_TIMEOUT_MS', key: ['database', 'statementTimeoutMs'], read: numberOrText },
  {
    name: 'GROUNDWORK_DB_CONNECTION_TIMEOUT_MS',
    key: ['database', 'connectionTimeoutMs'],
    read: numberOrText,
  },
  { name: 'GROUNDWORK_DB_IDLE_TIMEOUT_MS', key: ['database', 'idleTimeoutMs'], read: numberOrText },
  { name: 'DATABASE_REPLICA_URL', key: ['database', 'replicaUrl'], read: trimmed },
  { name: 'GROUNDWORK_BREAK_STALE_LOCK', key: ['database', 'breakStaleLock'], read: yes },

  { name: 'GROUNDWORK_OBSERVABILITY', key: ['observability', 'enabled'], read: notOff },
  { name: 'GROUNDWORK_TRACE_SAMPLE_RATIO', key: ['observability', 'sampleRatio'], read: numberOrText },
  { name: 'GROUNDWORK_TRACE_CONTENT', key: ['observability', 'contentCapture'], read: text },
  { name: 'GROUNDWORK_TRACE_RETENTION_DAYS', key: ['observability', 'retentionDays'], read: numberOrText },
  { name: 'OTEL_EXPORTER_OTLP_ENDPOINT', key: ['observability', 'otlpEndpoint'], read: text },
  { name: 'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', key: ['observability', 'otlpEndpoint'], read: text },
  { name: 'LOG_LEVEL', key: ['observability', 'logLevel'], read: (raw) => raw.toLowerCase() },
];

/** The configuration layer the environment sets: only the keys of variables that are set. */
export function configFromEnv(env: NodeJS.ProcessEnv): Record<string, unknown> {
  const layer: Record<string, unknown> = {};
  for (const variable of ENV_VARIABLES) {
    const raw = env[variable.name];
    if (raw === undefined || (raw === '' && !variable.emptyIsSet)) continue;
    if (variable.onlyWith && !variable.onlyWith.some((name) => env[name])) continue;
    const value = variable.read(raw, variable.name, env);
    if (value !== undefined) setKey(layer, variable.key, value);
  }
  return layer;
}

function setKey(target: Record<string, unknown>, key: readonly string[], value: unknown): void {
  let node = target;
  for (const part of key.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Record<string, unknown>;
  }
  node[key[key.length - 1] as string] = value;
}
