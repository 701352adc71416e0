/**
 * @module models/embedding/known-models
 * What we know about hosted embedding models without asking them: the vector length each returns by
 * default, whether the API can shorten it (`dimensions` / `output_dimension`), and the request limits
 * of each wire protocol. A model not listed here needs GROUNDWORK_EMBEDDER_DIMENSIONS.
 */

/** Providers that embed through an HTTP API. */
export const HOSTED_EMBEDDER_PROVIDERS = ['openai', 'openai-compatible', 'cohere'] as const;

/** One of `HOSTED_EMBEDDER_PROVIDERS`. */
export type HostedEmbedderProvider = (typeof HOSTED_EMBEDDER_PROVIDERS)[number];

/** A model's native vector length and whether the API accepts a shorter one. */
export interface KnownEmbeddingModel {
  readonly dimensions: number;
  readonly shortenable: boolean;
}

/** Known models by `provider:model`. */
export const KNOWN_EMBEDDING_MODELS: Readonly<Record<string, KnownEmbeddingModel>> = {
  'openai:text-embedding-3-small': { dimensions: 1536, shortenable: true },
  'openai:text-embedding-3-large': { dimensions: 3072, shortenable: true },
  'openai:text-embedding-ada-002': { dimensions: 1536, shortenable: false },
  'cohere:embed-v4.0': { dimensions: 1536, shortenable: true },
  'cohere:embed-english-v3.0': { dimensions: 1024, shortenable: false },
  'cohere:embed-multilingual-v3.0': { dimensions: 1024, shortenable: false },
  'cohere:embed-english-light-v3.0': { dimensions: 384, shortenable: false },
  'cohere:embed-multilingual-light-v3.0': { dimensions: 384, shortenable: false },
};

/** Request limits of one wire protocol (defaults; the config may lower them). */
export interface ProtocolLimits {
  /** Texts per request the API accepts. */
  readonly maxTextsPerRequest: number;
  /** Approximate tokens per request we aim to stay under. */
  readonly maxRequestTokens: number;
  /** Approximate tokens per text; longer texts are cut to it. */
  readonly maxInputTokens: number;
}

/**
 * OpenAI: 2,048 inputs and 300,000 tokens per request, 8,191 tokens per input; we aim at two thirds of
 * the request limit because our count is an estimate. Cohere: 96 texts per request; v3 models read
 * 512 tokens of each (the API cuts the rest, `truncate: END`). OpenAI-compatible servers vary; the
 * defaults fit Hugging Face TEI's (`--max-batch-tokens 16384`, 512-token models) and can be raised.
 */
export const PROTOCOL_LIMITS: Readonly<Record<HostedEmbedderProvider, ProtocolLimits>> = {
  openai: { maxTextsPerRequest: 2048, maxRequestTokens: 200_000, maxInputTokens: 8191 },
  'openai-compatible': { maxTextsPerRequest: 256, maxRequestTokens: 16_384, maxInputTokens: 8191 },
  cohere: { maxTextsPerRequest: 96, maxRequestTokens: 96 * 2048, maxInputTokens: 2048 },
};
