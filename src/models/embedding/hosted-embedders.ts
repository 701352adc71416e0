/**
 * @module models/embedding/hosted-embedders
 * Builds the embedder of a `provider:model` setting whose provider is an HTTP API: `openai`,
 * `openai-compatible` (Hugging Face TEI, vLLM, Ollama, LM Studio: anything serving OpenAI's
 * `/v1/embeddings`) and `cohere` (`/v2/embed`). Missing keys, URLs and vector lengths are start-up
 * errors that say what to set.
 */
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { EmbeddingModelV3 } from '@ai-sdk/provider';
import type { EmbeddingConfig } from '../../config/embedding-config.ts';
import { ConfigError } from '../../errors.ts';
import type { EmbedderInfo } from '../../spec/embedding.ts';
import { isLoopbackHost } from '../hosted-model.ts';
import { DEFAULT_BACKOFF } from '../resilient-language-model.ts';
import type { BackoffSettings } from '../retry-after.ts';
import { createCohereEmbeddingModel } from './cohere-embedding-model.ts';
import type { EmbeddingRetrySettings } from './embed-with-retries.ts';
import { createHostedEmbeddingModel } from './hosted-embedding-model.ts';
import { type HostedEmbedderProvider, KNOWN_EMBEDDING_MODELS, PROTOCOL_LIMITS } from './known-models.ts';

/** Texts handed to one `doEmbed` by ingestion; the model splits them into requests itself. */
const TEXTS_PER_CALL = 4096;

/** I/O and settings of hosted embedders. */
export interface HostedEmbedderOptions {
  readonly settings?: Partial<EmbeddingConfig>;
  /** Where OPENAI_API_KEY / COHERE_API_KEY are read; default `process.env`. */
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly fetch?: typeof fetch;
  /** Redact personal data before texts leave the machine: `auto` (default) for hosted servers only. */
  readonly redact?: boolean | 'auto';
  readonly backoff?: Partial<BackoffSettings>;
  readonly onAttemptFailed?: EmbeddingRetrySettings['onAttemptFailed'];
}

const KEY_VARIABLES: Partial<Record<HostedEmbedderProvider, string>> = {
  openai: 'OPENAI_API_KEY',
  cohere: 'COHERE_API_KEY',
};

/** Whether texts sent to this embedder leave the machine (a loopback OpenAI-compatible server does not). */
export function isHostedEmbedder(provider: HostedEmbedderProvider, baseUrl: string | undefined): boolean {
  if (provider !== 'openai-compatible' || !baseUrl) return true;
  try {
    return !isLoopbackHost(new URL(baseUrl).hostname);
  } catch {
    return true;
  }
}

/** The embedder for `provider:modelId`; throws `ConfigError` saying what to set. */
export function resolveHostedEmbedder(
  provider: HostedEmbedderProvider,
  modelId: string,
  options: HostedEmbedderOptions = {},
): EmbedderInfo {
  const settings = options.settings ?? {};
  const name = `${provider}:${modelId}`;
  if (!modelId)
    throw new ConfigError(`GROUNDWORK_EMBEDDER is "${provider}:" without a model: use ${provider}:<model>.`);
  const dimensions = resolveDimensions(name, settings.dimensions);
  const inner = createInner(provider, modelId, dimensions, settings, options);
  const limits = PROTOCOL_LIMITS[provider];
  const redact =
    options.redact === 'auto' || options.redact === undefined
      ? isHostedEmbedder(provider, settings.baseUrl)
      : options.redact;
  const model = createHostedEmbeddingModel(inner.model, {
    name,
    dimensions,
    limits: {
      maxTextsPerRequest: limits.maxTextsPerRequest,
      maxRequestTokens: settings.batchTokens ?? limits.maxRequestTokens,
      maxInputTokens: settings.maxInputTokens ?? limits.maxInputTokens,
    },
    concurrency: settings.concurrency ?? 4,
    timeoutMs: settings.timeoutMs ?? 60_000,
    maxRetries: settings.maxRetries ?? 4,
    ...DEFAULT_BACKOFF,
    ...options.backoff,
    onAttemptFailed: options.onAttemptFailed,
    redact,
    providerOptions: inner.providerOptions,
  });
  return {
    model,
    dimensions,
    batchSize: TEXTS_PER_CALL,
    ...(provider === 'cohere' ? { queryProviderOptions: { cohere: { inputType: 'search_query' } } } : {}),
  };
}

function resolveDimensions(name: string, configured: number | undefined): number {
  const known = KNOWN_EMBEDDING_MODELS[name];
  if (configured === undefined) {
    if (known) return known.dimensions;
    throw new ConfigError(
      `GROUNDWORK_EMBEDDER names ${name}, whose vector length we do not know: set GROUNDWORK_EMBEDDER_DIMENSIONS to it (e.g. 384 for bge-small-en-v1.5, 768 for nomic-embed-text).`,
      { model: name },
    );
  }
  if (known && configured !== known.dimensions && !known.shortenable) {
    throw new ConfigError(
      `${name} always returns ${known.dimensions}-dimensional vectors; GROUNDWORK_EMBEDDER_DIMENSIONS=${configured} cannot be honoured (remove it or set ${known.dimensions}).`,
      { model: name },
    );
  }
  return configured;
}

function createInner(
  provider: HostedEmbedderProvider,
  modelId: string,
  dimensions: number,
  settings: Partial<EmbeddingConfig>,
  options: HostedEmbedderOptions,
): { model: EmbeddingModelV3; providerOptions?: Record<string, Record<string, number>> } {
  const env = options.env ?? process.env;
  const variable = KEY_VARIABLES[provider];
  const apiKey = settings.apiKey ?? (variable ? env[variable] : undefined);
  if (variable && !apiKey) {
    throw new ConfigError(
      `GROUNDWORK_EMBEDDER uses ${provider}, which needs an API key: set GROUNDWORK_EMBEDDER_API_KEY or ${variable}.`,
      { provider },
    );
  }
  const known = KNOWN_EMBEDDING_MODELS[`${provider}:${modelId}`];
  const shorten = known?.shortenable && dimensions !== known.dimensions;
  const { baseUrl } = settings;
  const fetch = options.fetch;
  switch (provider) {
    case 'openai':
      return {
        model: createOpenAI({ apiKey, baseURL: baseUrl, fetch }).embedding(modelId),
        ...(shorten ? { providerOptions: { openai: { dimensions } } } : {}),
      };
    case 'cohere':
      return {
        model: createCohereEmbeddingModel({
          modelId,
          apiKey: apiKey as string,
          baseUrl,
          fetch,
          ...(shorten ? { outputDimension: dimensions } : {}),
        }),
      };
    case 'openai-compatible':
      if (!baseUrl) {
        throw new ConfigError(
          "GROUNDWORK_EMBEDDER uses openai-compatible, which needs the server's URL: set GROUNDWORK_EMBEDDER_BASE_URL (e.g. http://localhost:8080/v1 for text-embeddings-inference, http://localhost:11434/v1 for Ollama).",
          { provider },
        );
      }
      // Servers differ in what they accept besides `model` and `input`, so `dimensions` is not sent:
      // the setting states the length the server returns, and every vector is checked against it.
      return {
        model: createOpenAICompatible({ name: provider, baseURL: baseUrl, apiKey, fetch }).embeddingModel(
          modelId,
        ),
      };
  }
}
