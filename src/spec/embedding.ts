/**
 * @module spec/embedding
 * Embedding models are the AI SDK's `EmbeddingModelV3` spec, so any AI SDK provider (OpenAI, an
 * OpenAI-compatible server, a local ONNX model) plugs in unchanged.
 */
import type { EmbeddingModelV3, SharedV3ProviderOptions } from '@ai-sdk/provider';

/** An embedding model over strings. */
export type EmbeddingModel = EmbeddingModelV3;

/** What the store needs to know about an embedding model besides the model itself. */
export interface EmbedderInfo {
  readonly model: EmbeddingModel;
  /** Vector length; fixed per model, used for the per-model HNSW index. */
  readonly dimensions: number;
  /** Prefix some models want on queries (e.g. bge's retrieval instruction); empty when none. */
  readonly queryPrefix?: string;
  /** Texts per `doEmbed` call. */
  readonly batchSize?: number;
  /** Provider options of query embeddings (Cohere embeds queries as `search_query`); none by default. */
  readonly queryProviderOptions?: SharedV3ProviderOptions;
}
