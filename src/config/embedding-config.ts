/**
 * @module config/embedding-config
 * The `embedding` section: how hosted embedders (`GROUNDWORK_EMBEDDER=openai:…`, `cohere:…`,
 * `openai-compatible:…`) are reached and paced. The GROUNDWORK_EMBEDDER_* variables map onto it
 * (config/env-vars.ts); local and test embedders ignore it.
 */
import { z } from 'zod';

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, e.g. http://localhost:8080/v1',
});

/** The `embedding` section of the configuration. */
export const embeddingSchema = z
  .object({
    /** Key of the embedding API; when unset, OPENAI_API_KEY (openai) or COHERE_API_KEY (cohere). */
    apiKey: z.string().min(1).optional(),
    /** Base URL of the API (required for `openai-compatible`, e.g. http://localhost:8080/v1 for TEI). */
    baseUrl: httpUrl.optional(),
    /** Vector length; required for models we do not know, sent to APIs that can shorten vectors. */
    dimensions: z.number().int().min(1).max(16_000).optional(),
    /** Approximate tokens per request (default per provider: 200,000 OpenAI, 16,384 compatible). */
    batchTokens: z.number().int().min(1).optional(),
    /** Approximate tokens per text; longer texts are cut (default 8,191; Cohere 2,048). */
    maxInputTokens: z.number().int().min(1).optional(),
    /** Requests in flight at once per process. */
    concurrency: z.number().int().min(1).max(64).default(4),
    /** Per request. */
    timeoutMs: z.number().int().positive().default(60_000),
    /** Retries per request of retryable failures (408/409/429/5xx, network errors, timeouts). */
    maxRetries: z.number().int().min(0).max(10).default(4),
  })
  .strict();

/** The parsed `embedding` section. */
export type EmbeddingConfig = z.infer<typeof embeddingSchema>;
