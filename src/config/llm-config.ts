/**
 * @module config/llm-config
 * The `llm` section of the configuration (the GROUNDWORK_LLM_* variables that map onto it are in
 * config/env-vars.ts). Which provider a `provider:model` names, and whether its key is present, is checked when the
 * model is resolved (models/language-models), still at start-up.
 */
import { z } from 'zod';

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, e.g. http://localhost:8000/v1',
});

/** A fallback model: `provider:model`, or with its own base URL and key (config file only). */
const fallbackSchema = z.union([
  z.string().min(1),
  z
    .object({
      model: z.string().min(1),
      baseUrl: httpUrl.optional(),
      apiKey: z.string().min(1).optional(),
    })
    .strict(),
]);

/** The `llm` section of the configuration. */
export const llmSchema = z
  .object({
    /** `provider:model` (`openai:gpt-4o-mini`, `anthropic:…`, `openai-compatible:…`), or `none`. */
    model: z.string().default('auto'),
    /** Base URL of the primary's API (required for `openai-compatible`); shared by same-provider fallbacks. */
    baseUrl: httpUrl.optional(),
    /** API key of the primary; when unset, OPENAI_API_KEY or ANTHROPIC_API_KEY by provider. */
    apiKey: z.string().min(1).optional(),
    /** Tried in order when the primary still fails with a retryable error after its retries. */
    fallbacks: z.array(fallbackSchema).default([]),
    /** Per request; a stream's first chunk, then each gap between chunks. */
    timeoutMs: z.number().int().positive().default(60_000),
    /** Retries per model of retryable failures (408/409/429/5xx, network errors, timeouts). */
    maxRetries: z.number().int().min(0).max(10).default(2),
    /**
     * A separate (cheaper) `provider:model` per sub-task; unset, the task uses the model above. The
     * model above and its fallbacks back each one up. Same provider: same base URL and key.
     */
    tasks: z
      .object({
        /** Rewriting a follow-up into a standalone question. */
        condense: z.string().min(1).optional(),
        /** Summarising the older turns of a long conversation. */
        summarise: z.string().min(1).optional(),
        /** The model-based moderator (`guardrails.moderation.model`). */
        moderation: z.string().min(1).optional(),
        /** The judge of answer evaluations. */
        judge: z.string().min(1).optional(),
      })
      .strict()
      .default({}),
  })
  .strict();

/** Sub-tasks that may have their own model (`llm.tasks`). */
export const LLM_TASKS = ['condense', 'summarise', 'moderation', 'judge'] as const;

/** One of `LLM_TASKS`. */
export type LlmTask = (typeof LLM_TASKS)[number];
