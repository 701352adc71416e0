/**
 * @module models/provider-models
 * Builds one AI SDK model per configured `provider:model`. Keys are checked here, at start-up, so a
 * missing key fails before the first question rather than on it. OpenAI goes through the Chat
 * Completions API (`.chat`), the protocol shared with every OpenAI-compatible server and proxy.
 * `local` runs a catalog GGUF model in-process (node-llama-cpp); it needs no key, only `models pull`.
 */
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { LanguageModelV3 } from '@ai-sdk/provider';
import { ConfigError } from '../errors.ts';
import { resolveLocalChatModel } from './local/local-chat-model.ts';

/** Providers we can build, by their name in `provider:model`. */
export const LLM_PROVIDERS = ['openai', 'anthropic', 'openai-compatible', 'local'] as const;

/** One of `LLM_PROVIDERS`. */
export type LlmProvider = (typeof LLM_PROVIDERS)[number];

/** Everything needed to build one provider model. */
export interface ProviderModelSettings {
  readonly provider: LlmProvider;
  readonly modelId: string;
  readonly baseUrl?: string;
  /** An explicit key; wins over the provider's environment variable. */
  readonly apiKey?: string;
  /** Where `setting` names come from, for error messages (`GROUNDWORK_LLM`, `llm.fallbacks[0]`). */
  readonly setting: string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
}

/**
 * The environment variable each hosted provider's key falls back to. `openai-compatible` has none on
 * purpose: sending OPENAI_API_KEY to whatever server the base URL names would leak it.
 */
const KEY_VARIABLES: Partial<Record<LlmProvider, string>> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
};

/** Builds the AI SDK model; throws `ConfigError` saying what to set when a key or URL is missing. */
export function createProviderModel(settings: ProviderModelSettings): LanguageModelV3 {
  const { provider, modelId, baseUrl, fetch } = settings;
  if (provider === 'local') return resolveLocalChatModel(modelId, settings);
  const variable = KEY_VARIABLES[provider];
  const apiKey = settings.apiKey ?? (variable ? settings.env[variable] : undefined);
  if (variable && !apiKey) {
    throw new ConfigError(
      `${settings.setting} uses ${provider}, which needs an API key: set GROUNDWORK_LLM_API_KEY or ${variable}.`,
      { provider },
    );
  }
  switch (provider) {
    case 'openai':
      return createOpenAI({ apiKey, baseURL: baseUrl, fetch }).chat(modelId);
    case 'anthropic':
      return createAnthropic({ apiKey, baseURL: baseUrl, fetch })(modelId);
    case 'openai-compatible':
      if (!baseUrl) {
        throw new ConfigError(
          `${settings.setting} uses openai-compatible, which needs the server's URL: set GROUNDWORK_LLM_BASE_URL (e.g. http://localhost:11434/v1 for Ollama, http://localhost:8000/v1 for vLLM).`,
          { provider },
        );
      }
      // Local servers often need no key; the SDK then sends no Authorization header.
      return createOpenAICompatible({ name: provider, baseURL: baseUrl, apiKey, fetch, includeUsage: true })(
        modelId,
      );
  }
}
