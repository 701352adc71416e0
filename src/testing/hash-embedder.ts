/**
 * @module testing/hash-embedder
 * A deterministic test-double embedding model: feature-hashed word unigrams and bigrams, L2-normalised.
 * Texts that share words get similar vectors, so vector and hybrid search behave meaningfully in tests
 * without a neural model. It records its calls and can be told to fail.
 */
import type { EmbeddingModelV3, EmbeddingModelV3CallOptions, EmbeddingModelV3Result } from '@ai-sdk/provider';

/** Options of the double. */
export interface HashEmbedderOptions {
  readonly dimensions?: number;
  /** Throw this error on every call (to test failure handling). */
  readonly failWith?: Error;
}

/** The double, with its recorded calls. */
export interface HashEmbedder extends EmbeddingModelV3 {
  readonly dimensions: number;
  readonly calls: string[][];
}

/** Creates the test-double embedder. */
export function createHashEmbedder(options: HashEmbedderOptions = {}): HashEmbedder {
  const dimensions = options.dimensions ?? 64;
  const calls: string[][] = [];
  return {
    specificationVersion: 'v3',
    provider: 'test',
    modelId: `hash-${dimensions}`,
    maxEmbeddingsPerCall: 256,
    supportsParallelCalls: true,
    dimensions,
    calls,
    async doEmbed({ values }: EmbeddingModelV3CallOptions): Promise<EmbeddingModelV3Result> {
      calls.push([...values]);
      if (options.failWith) throw options.failWith;
      return { embeddings: values.map((value) => hashVector(value, dimensions)), warnings: [] };
    },
  };
}

/** The vector of one text. */
export function hashVector(text: string, dimensions: number): number[] {
  const vector = new Array<number>(dimensions).fill(0);
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  const features = [...words, ...words.slice(1).map((word, index) => `${words[index]} ${word}`)];
  for (const feature of features) {
    const hash = fnv1a(feature);
    const sign = hash & 1 ? 1 : -1;
    const slot = (hash >>> 1) % dimensions;
    vector[slot] = (vector[slot] as number) + sign;
  }
  const norm = Math.sqrt(vector.reduce((sum, value) => sum + value * value, 0));
  // An empty text still needs a valid, non-zero vector for cosine distance.
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((value) => value / norm);
}

function fnv1a(text: string): number {
  let hash = 0x811c9dc5;
  for (let index = 0; index < text.length; index++) {
    hash ^= text.charCodeAt(index);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
