/**
 * @module guardrails/moderation-models/resolve
 * Builds the configured moderation model (`guardrails.moderation.classifier`), checking at start-up
 * what it needs: an API key for OpenAI's own URL (never sent elsewhere), a base URL for Llama Guard.
 */
import type { ModerationClassifierConfig } from '../../config/guardrails-config.ts';
import { ConfigError } from '../../errors.ts';
import { createProviderModel } from '../../models/provider-models.ts';
import { createResilientLanguageModel, DEFAULT_BACKOFF } from '../../models/resilient-language-model.ts';
import type { BackoffSettings } from '../../models/retry-after.ts';
import type { ModerationModel } from '../../spec/moderation.ts';
import { createLlamaGuard } from './llama-guard.ts';
import { createOpenAIModeration } from './openai-moderation.ts';

const OPENAI_URL = /^https:\/\/api\.openai\.com(\/|$)/;

/** I/O that tests set. */
export interface ResolveModerationOptions {
  readonly fetch?: typeof fetch;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly backoff?: Partial<BackoffSettings>;
}

/**
 * The moderation model the config names, or undefined when it names none.
 *
 * @example
 * const moderationModel = resolveModerationModel(config.guardrails.moderation.classifier);
 */
export function resolveModerationModel(
  config: ModerationClassifierConfig | undefined,
  options: ResolveModerationOptions = {},
): ModerationModel | undefined {
  if (!config) return undefined;
  const env = options.env ?? process.env;
  if (config.protocol === 'openai-moderation') {
    // OPENAI_API_KEY goes to OpenAI only: another server exposing the same shape gets its own key.
    const apiKey = config.apiKey ?? (OPENAI_URL.test(config.baseUrl) ? env.OPENAI_API_KEY : undefined);
    if (OPENAI_URL.test(config.baseUrl) && !apiKey) {
      throw new ConfigError(
        'guardrails.moderation.classifier uses the OpenAI moderation API, which needs a key: set GROUNDWORK_MODERATION_API_KEY or OPENAI_API_KEY.',
      );
    }
    return createOpenAIModeration({
      baseUrl: config.baseUrl,
      model: config.model,
      apiKey,
      thresholds: config.thresholds,
      timeoutMs: config.timeoutMs,
      maxRetries: config.maxRetries,
      ...options.backoff,
      fetch: options.fetch,
    });
  }
  const name = `llama-guard:${config.model}`;
  const chat = createProviderModel({
    provider: 'openai-compatible',
    modelId: config.model,
    baseUrl: config.baseUrl,
    apiKey: config.apiKey,
    setting: 'guardrails.moderation.classifier',
    env,
    fetch: options.fetch,
  });
  const model = createResilientLanguageModel(
    [{ name, provider: 'openai-compatible', modelId: config.model, model: chat }],
    { timeoutMs: config.timeoutMs, maxRetries: config.maxRetries, ...DEFAULT_BACKOFF, ...options.backoff },
  );
  return createLlamaGuard({ model, name, prompt: config.prompt });
}
