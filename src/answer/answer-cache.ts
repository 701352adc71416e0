/**
 * @module answer/answer-cache
 * An ACL-aware cache of final answers to stateless questions (`/v1/ask` without history), wrapping the
 * grounded answerer (ADR 0026). The key is the tenant, a hash of the caller's sorted principals, the
 * normalised question, every request option that changes the answer (retrieval mode, filters, limit),
 * the model name, the prompt version the request is actually assigned (experiments assign per user) and
 * the tenant's knowledge generation, which every document change bumps in Postgres
 * (store/knowledge-generation.ts), so a changed knowledge base makes old entries unreachable in every
 * process. Entries also expire after a TTL and the least recently used go beyond `maxEntries`.
 * Refusals, not-found answers, guardrail-withheld answers and errors are never stored.
 */
import { createHash, randomBytes } from 'node:crypto';
import { GUARDRAIL_NOTES } from '../guardrails/answer-guard.ts';
import { activeTraceId, stage } from '../observability/tracer.ts';
import type { Answerer, AskEvent, AskRequest, AskResult } from '../spec/answer.ts';
import type { GroundedPromptSource } from '../spec/prompts.ts';
import type { SqlExecutor } from '../store/database.ts';
import { readKnowledgeGeneration } from '../store/knowledge-generation.ts';
import { NOT_FOUND_ANSWER } from './notes.ts';

/** Span attribute on the `cache` span: `hit`, `miss` or `bypass` (request not cacheable). */
export const CACHE_RESULT_ATTRIBUTE = 'groundwork.cache.result';

/** The `cache.answers` configuration. */
export interface AnswerCacheConfig {
  readonly enabled: boolean;
  readonly ttlSeconds: number;
  readonly maxEntries: number;
}

/** What the cache needs besides the answerer it wraps. */
export interface AnswerCacheOptions {
  /** Where the knowledge generation is read (one primary-key read per cacheable request). */
  readonly db: SqlExecutor;
  readonly config: AnswerCacheConfig;
  /** The answerer's model name, or null when answers are extractive (then no prompt is selected). */
  readonly modelName: string | null;
  /** The answerer's prompt source, so the key holds the version this caller would be given. */
  readonly prompts?: GroundedPromptSource;
  /** The limit the answerer applies when the request names none. */
  readonly defaultLimit: number;
  /** Called once per cacheable lookup (`groundwork_cache_requests_total{cache="answers"}`). */
  readonly onLookup?: (result: 'hit' | 'miss') => void;
  /** Milliseconds since the epoch; injectable so TTL tests need no waiting. */
  readonly now?: () => number;
}

interface Entry {
  readonly result: AskResult;
  readonly expiresAt: number;
}

/**
 * Wraps `answerer` with the answer cache; returns it unchanged when the cache is disabled.
 *
 * @example
 * const cached = cacheAnswers(grounded, { db, config: config.cache.answers, modelName, prompts, defaultLimit: 8 });
 */
export function cacheAnswers(answerer: Answerer, options: AnswerCacheOptions): Answerer {
  if (!options.config.enabled || options.config.maxEntries < 1) return answerer;
  const entries = new Map<string, Entry>();
  const now = options.now ?? Date.now;

  const lookup = (request: AskRequest) =>
    stage('cache', { 'groundwork.cache.name': 'answers' }, async (span) => {
      if (!isStateless(request)) {
        span.setAttribute(CACHE_RESULT_ATTRIBUTE, 'bypass');
        return undefined;
      }
      const key = await keyOf(request, options);
      const entry = entries.get(key);
      const fresh = entry && entry.expiresAt > now() ? entry : undefined;
      if (entry && !fresh) entries.delete(key);
      if (fresh) {
        // Re-inserting moves the entry to the end of the Map's order: the most recently used.
        entries.delete(key);
        entries.set(key, fresh);
      }
      span.setAttribute(CACHE_RESULT_ATTRIBUTE, fresh ? 'hit' : 'miss');
      options.onLookup?.(fresh ? 'hit' : 'miss');
      return { key, hit: fresh ? asHit(fresh.result) : undefined };
    });

  const store = (key: string, result: AskResult) => {
    if (!isCacheable(result)) return;
    entries.delete(key);
    entries.set(key, { result, expiresAt: now() + options.config.ttlSeconds * 1000 });
    while (entries.size > options.config.maxEntries) {
      const oldest = entries.keys().next().value;
      if (oldest === undefined) break;
      entries.delete(oldest);
    }
  };

  return {
    async ask(request) {
      const found = await lookup(request);
      if (found?.hit) return found.hit;
      const result = await answerer.ask(request);
      if (found) store(found.key, result);
      return result;
    },
    async *stream(request): AsyncIterable<AskEvent> {
      const found = await lookup(request);
      if (found?.hit) {
        yield { type: 'retrieval-done', passages: found.hit.citations.length, retrieveMs: 0 };
        yield { type: 'text-delta', delta: found.hit.answer };
        yield { type: 'citations', citations: found.hit.citations };
        yield { type: 'done', result: found.hit };
        return;
      }
      for await (const event of answerer.stream(request)) {
        if (event.type === 'done' && found) store(found.key, event.result);
        yield event;
      }
    },
  };
}

/** Only standalone questions are cached: history or a stored conversation changes the answer. */
function isStateless(request: AskRequest): boolean {
  return (request.history?.length ?? 0) === 0 && request.conversationId === undefined;
}

/** Grounded answers with citations only; refusals, not-found and guardrail-altered answers are not. */
export function isCacheable(result: AskResult): boolean {
  const guardrailNotes: readonly string[] = Object.values(GUARDRAIL_NOTES);
  return (
    result.citations.length > 0 &&
    result.answer.trim() !== '' &&
    result.answer !== NOT_FOUND_ANSWER &&
    !result.notes.some((note) => guardrailNotes.includes(note))
  );
}

/** The stored answer as served again: no tokens spent, its own trace id, marked `cached`. */
function asHit(result: AskResult): AskResult {
  return {
    ...result,
    usage: { inputTokens: 0, outputTokens: 0 },
    usageByModel: [],
    timings: { retrieveMs: 0, generateMs: 0, totalMs: 0 },
    traceId: activeTraceId() ?? randomBytes(16).toString('hex'),
    cached: true,
  };
}

/** The cache key; see the module comment for what it holds and why. */
async function keyOf(request: AskRequest, options: AnswerCacheOptions): Promise<string> {
  const [generation, prompt] = await Promise.all([
    readKnowledgeGeneration(options.db, request.tenantId),
    options.modelName ? options.prompts?.select(request) : undefined,
  ]);
  // `undefined` principals is the unrestricted operator, distinct from an empty access set.
  const principals = request.principals ? [...new Set(request.principals)].sort() : null;
  const parts = {
    principals,
    question: normaliseQuestion(request.question),
    mode: request.retrievalMode ?? null,
    filters: canonical(request.filters ?? null),
    limit: request.limit ?? options.defaultLimit,
    model: options.modelName,
    // The experiment arm too, so a hit is logged against the arm this caller is in.
    prompt: prompt ? [prompt.ref.name, prompt.ref.version, prompt.ref.experiment?.arm ?? null] : null,
    generation,
  };
  const digest = createHash('sha256').update(JSON.stringify(parts)).digest('hex');
  // The tenant stays outside the hash as well, so no collision could ever cross tenants.
  return `${request.tenantId}\u0000${digest}`;
}

/** Case, surrounding and repeated whitespace do not change a question. */
export function normaliseQuestion(question: string): string {
  return question.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** JSON with object keys sorted, so equal filters give equal keys. */
function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, canonical(v)]),
    );
  return value;
}
