/**
 * @module config/guardrails-config
 * The `guardrails` section of the configuration (docs/decisions/0017-guardrails.md, 0031, 0052, 0053); the
 * GROUNDWORK_MODERATION_* environment variables are in config/env-vars.ts. Every rule-based check is on by default; model-based
 * moderation is off until a classifier is named. Moderation actions here are the defaults every
 * tenant starts from; a tenant's admin overrides them at run time (`PUT /v1/admin/guardrails`).
 */
import { z } from 'zod';
import { MODERATION_ACTIONS, MODERATION_CATEGORIES, type ModerationCategory } from '../spec/moderation.ts';

const share = (what: string) =>
  z.number().min(0, `set ${what} between 0 and 1`).max(1, `set ${what} between 0 and 1`);

const httpUrl = z.url({
  protocol: /^https?$/,
  error: 'must be an http(s) URL, e.g. http://localhost:8000/v1',
});

const action = z.enum(MODERATION_ACTIONS);

/** Per-category actions; `sexual-minors` may only be `block`. */
export const moderationActionsSchema = z
  .object(
    Object.fromEntries(MODERATION_CATEGORIES.map((category) => [category, action.optional()])) as Record<
      ModerationCategory,
      z.ZodOptional<typeof action>
    >,
  )
  .strict()
  .refine((actions) => actions['sexual-minors'] === undefined || actions['sexual-minors'] === 'block', {
    message: 'sexual content involving minors is always blocked: set sexual-minors to block or leave it out',
    path: ['sexual-minors'],
  });

/** The defaults: refuse every category, hand self-harm to a person. */
export const DEFAULT_MODERATION_ACTIONS: Readonly<Record<ModerationCategory, z.infer<typeof action>>> = {
  hate: 'block',
  harassment: 'block',
  sexual: 'block',
  'sexual-minors': 'block',
  'self-harm': 'escalate',
  violence: 'block',
  illegal: 'block',
  weapons: 'block',
};

const stages = z
  .array(z.enum(['input', 'output']))
  .min(1)
  .default(['input', 'output']);

/** A moderation model or API (src/guardrails/moderation-models): what it is, where, and how hard to try. */
const classifierSchema = z.discriminatedUnion('protocol', [
  z
    .object({
      /** `POST {baseUrl}/moderations` with `{model, input}` (OpenAI, or any server with that shape). */
      protocol: z.literal('openai-moderation'),
      baseUrl: httpUrl.default('https://api.openai.com/v1'),
      /** Sent as a bearer token; OPENAI_API_KEY is used only for the default OpenAI URL. */
      apiKey: z.string().min(1).optional(),
      model: z.string().min(1).default('omni-moderation-latest'),
      /** Score at or above which a category counts, by our category (default 0.5; sexual-minors 0.2). */
      thresholds: z
        .partialRecord(z.enum(MODERATION_CATEGORIES), share('guardrails.moderation.classifier.thresholds'))
        .default({}),
      timeoutMs: z.number().int().positive().default(10_000),
      maxRetries: z.number().int().min(0).max(10).default(2),
      /** When the classifier cannot answer: block (true, the default) or let the rules decide alone. */
      failClosed: z.boolean().default(true),
      stages,
    })
    .strict(),
  z
    .object({
      /** Llama Guard 3 through an OpenAI-compatible chat server (vLLM, Ollama, llama.cpp, TGI). */
      protocol: z.literal('llama-guard'),
      baseUrl: httpUrl,
      apiKey: z.string().min(1).optional(),
      model: z.string().min(1).default('llama-guard3'),
      /**
       * `task`: we send Llama Guard 3's task prompt (categories S1–S14) as the user message; `messages`:
       * we send the conversation and the server's chat template builds the prompt (vLLM and Ollama do
       * for Llama Guard models).
       */
      prompt: z.enum(['task', 'messages']).default('task'),
      timeoutMs: z.number().int().positive().default(20_000),
      maxRetries: z.number().int().min(0).max(10).default(2),
      failClosed: z.boolean().default(true),
      stages,
    })
    .strict(),
]);

/** The `guardrails.moderation.classifier` setting. */
export type ModerationClassifierConfig = z.infer<typeof classifierSchema>;

/** The `guardrails` section. */
export const guardrailsSchema = z
  .object({
    /** Master switch (GROUNDWORK_GUARDRAILS=off turns every guardrail off). */
    enabled: z.boolean().default(true),
    /** Direct prompt injection in the user's message: blocked at or above `threshold`. */
    injection: z
      .object({
        enabled: z.boolean().default(true),
        threshold: share('guardrails.injection.threshold').default(0.6),
      })
      .strict()
      .prefault({}),
    /** Instructions planted in retrieved passages: `drop` (default) keeps the passage from the model, `label` warns the model inside the quote (a model may still obey it). */
    passages: z
      .object({
        enabled: z.boolean().default(true),
        threshold: share('guardrails.passages.threshold').default(0.7),
        action: z.enum(['label', 'drop']).default('drop'),
      })
      .strict()
      .prefault({}),
    /**
     * Moderation of questions and answers: the rules always (when enabled); `classifier` adds a
     * moderation model or API; `model: true` also asks the answering language model (one extra call).
     * `actions` are the defaults per category; tenants override them at run time.
     */
    moderation: z
      .object({
        enabled: z.boolean().default(true),
        model: z.boolean().default(false),
        actions: moderationActionsSchema.default({}),
        classifier: classifierSchema.optional(),
      })
      .strict()
      .prefault({}),
    /** Answers that generalise about a protected group ("women are bad at …"): what to do with them. */
    stereotyping: z
      .object({ enabled: z.boolean().default(true), action: action.default('block') })
      .strict()
      .prefault({}),
    /** Seconds a process keeps a tenant's stored guardrail settings before reading them again. */
    settingsCacheSeconds: z.number().int().min(0).max(3600).default(5),
    /** Cited sentences must be supported by their passages; unsupported ones are removed. */
    grounding: z
      .object({
        enabled: z.boolean().default(true),
        threshold: share('guardrails.grounding.threshold').default(0.5),
        maxUnsupportedShare: share('guardrails.grounding.maxUnsupportedShare').default(0.5),
      })
      .strict()
      .prefault({}),
    /** Personal data in answers that the caller could not already see is redacted. */
    piiLeak: z
      .object({ enabled: z.boolean().default(true) })
      .strict()
      .prefault({}),
    /**
     * Replace personal data with placeholders in everything sent to the language model, and put it back
     * in what it writes (models/redacting-language-model.ts): `auto` (default) for hosted providers only
     * (openai, anthropic, openai-compatible on a non-loopback host), `true` for every model, `false` off
     * (GROUNDWORK_REDACT_FOR_MODEL=auto|on|off). Independent of `enabled`: it is privacy, not moderation.
     */
    redactForModel: z.union([z.boolean(), z.literal('auto')]).default('auto'),
  })
  .strict();
