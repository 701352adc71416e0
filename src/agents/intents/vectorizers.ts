/**
 * @module agents/intents/vectorizers
 * How the intent router turns utterances into vectors: a sentence embedder when one is configured, or
 * TF-IDF over the lexical analyzer's terms when none is (so routing works with no model at all).
 */
import type { EmbedderInfo } from '../../spec/embedding.ts';
import type { LexicalAnalyzer } from '../../spec/lexical.ts';

/** A sparse vector: parallel arrays of dimension indices and values. */
export interface SparseVector {
  readonly indices: Int32Array;
  readonly values: Float32Array;
}

/** A dense (embedding) or sparse (TF-IDF) vector, L2-normalised. */
export type IntentVector = Float32Array | SparseVector;

/** Turns texts into vectors; `fit` sees the training texts first (TF-IDF learns its vocabulary). */
export interface TextVectorizer {
  readonly name: string;
  readonly dimensions: number;
  fit(texts: readonly string[]): Promise<void>;
  vectorize(texts: readonly string[]): Promise<IntentVector[]>;
}

/** Reports progress of long embedding runs. */
export type ProgressListener = (done: number, total: number) => void;

/** Vectors from a sentence embedder, embedded in batches of the model's size. */
export function createEmbeddingVectorizer(
  embedder: EmbedderInfo,
  options: { onProgress?: ProgressListener; batchSize?: number } = {},
): TextVectorizer {
  const batchSize = options.batchSize ?? embedder.batchSize ?? 64;
  return {
    name: `embedding:${embedder.model.provider}:${embedder.model.modelId}`,
    dimensions: embedder.dimensions,
    async fit() {},
    async vectorize(texts) {
      const vectors: IntentVector[] = [];
      for (let start = 0; start < texts.length; start += batchSize) {
        const { embeddings } = await embedder.model.doEmbed({
          values: texts.slice(start, start + batchSize),
        });
        for (const embedding of embeddings) vectors.push(normalise(Float32Array.from(embedding)));
        options.onProgress?.(vectors.length, texts.length);
      }
      return vectors;
    },
  };
}

/** TF-IDF (sublinear tf, smoothed idf) over analyzer terms and their bigrams, fitted on training texts. */
export function createTfidfVectorizer(analyzer: LexicalAnalyzer): TextVectorizer {
  const vocabulary = new Map<string, number>();
  let idf = new Float32Array(0);
  /** The idf of a term no training text has: the highest there is. */
  let unseenIdf = 1;
  const features = (text: string): string[] => {
    const terms = analyzer.terms(text);
    // Bigrams keep "not working" apart from "working"; they matter for short utterances.
    return [...terms, ...terms.slice(1).map((term, index) => `${terms[index]}_${term}`)];
  };
  return {
    name: `tfidf:${analyzer.name}`,
    get dimensions() {
      return vocabulary.size;
    },
    async fit(texts) {
      const documentFrequency = new Map<string, number>();
      for (const text of texts) {
        for (const feature of new Set(features(text))) {
          documentFrequency.set(feature, (documentFrequency.get(feature) ?? 0) + 1);
        }
      }
      vocabulary.clear();
      idf = new Float32Array(documentFrequency.size);
      for (const [feature, count] of documentFrequency) {
        const index = vocabulary.size;
        vocabulary.set(feature, index);
        idf[index] = Math.log((1 + texts.length) / (1 + count)) + 1;
      }
      unseenIdf = Math.log(1 + texts.length) + 1;
    },
    async vectorize(texts) {
      return texts.map((text) => {
        const counts = new Map<number, number>();
        const unseen = new Map<string, number>();
        const terms = analyzer.terms(text);
        for (const feature of features(text)) {
          const index = vocabulary.get(feature);
          if (index !== undefined) counts.set(index, (counts.get(index) ?? 0) + 1);
        }
        for (const term of terms) if (!vocabulary.has(term)) unseen.set(term, (unseen.get(term) ?? 0) + 1);
        const indices = Int32Array.from(counts.keys());
        const values = Float32Array.from(
          indices,
          (index) => (1 + Math.log(counts.get(index)!)) * idf[index]!,
        );
        // Words no training text has are part of the utterance too: they weigh in the norm (with the
        // highest idf) though no centroid can match them. Dropping them would make "a recipe for
        // lasagna" the unit vector of "give", as close to the orders examples as a real order question.
        let unseenMass = 0;
        for (const count of unseen.values()) unseenMass += ((1 + Math.log(count)) * unseenIdf) ** 2;
        normaliseWith(values, unseenMass);
        return { indices, values };
      });
    },
  };
}

/** Scales `values` in place by the norm of the whole vector, of which they are one part. */
function normaliseWith(values: Float32Array, otherSquares: number): void {
  let sum = otherSquares;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let index = 0; index < values.length; index++) values[index]! /= norm;
}

/** Scales a vector to unit length in place (a zero vector stays zero). */
export function normalise(values: Float32Array): Float32Array {
  let sum = 0;
  for (const value of values) sum += value * value;
  const norm = Math.sqrt(sum);
  if (norm > 0) for (let index = 0; index < values.length; index++) values[index]! /= norm;
  return values;
}

/** Dot product of a dense centroid with a dense or sparse vector. */
export function dot(centroid: Float32Array, vector: IntentVector): number {
  let sum = 0;
  if (vector instanceof Float32Array) {
    for (let index = 0; index < vector.length; index++) sum += centroid[index]! * vector[index]!;
  } else {
    for (let index = 0; index < vector.indices.length; index++) {
      sum += centroid[vector.indices[index]!]! * vector.values[index]!;
    }
  }
  return sum;
}

/** Adds a vector into a dense accumulator. */
export function addInto(accumulator: Float32Array, vector: IntentVector): void {
  if (vector instanceof Float32Array) {
    for (let index = 0; index < vector.length; index++) accumulator[index]! += vector[index]!;
  } else {
    for (let index = 0; index < vector.indices.length; index++) {
      accumulator[vector.indices[index]!]! += vector.values[index]!;
    }
  }
}
