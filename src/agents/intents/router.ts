/**
 * @module agents/intents/router
 * A no-LLM intent router: nearest centroid over sentence embeddings (or TF-IDF when no embedder is
 * configured), trained from labelled example utterances. An utterance whose best cosine similarity is
 * under a threshold (calibrated on held-out examples) is out of scope. Examples labelled with the
 * out-of-scope label form a class of their own, so typical off-topic requests are caught even above the
 * threshold.
 */
import { InvalidRequestError } from '../../errors.ts';
import type { EmbedderInfo } from '../../spec/embedding.ts';
import type { LexicalAnalyzer } from '../../spec/lexical.ts';
import { calibrateThreshold } from './calibration.ts';
import {
  addInto,
  createEmbeddingVectorizer,
  createTfidfVectorizer,
  dot,
  type IntentVector,
  normalise,
  type TextVectorizer,
} from './vectorizers.ts';

/** One training or evaluation example. */
export interface LabelledUtterance {
  readonly text: string;
  readonly intent: string;
}

/** How to build a router: an embedder, or an analyzer for the lexical fallback, or a vectorizer. */
export interface IntentRouterOptions {
  readonly embedder?: EmbedderInfo;
  readonly analyzer?: LexicalAnalyzer;
  /** Overrides both (benchmarks pass a caching vectorizer). */
  readonly vectorizer?: TextVectorizer;
  /** Label of out-of-scope examples; default `out_of_scope`. */
  readonly outOfScopeLabel?: string;
  /** Similarity under which a prediction is out of scope; default 0 until `calibrate` runs. */
  readonly threshold?: number;
}

/** The router's verdict on one utterance. */
export interface IntentPrediction {
  /** The intent, or the out-of-scope label. */
  readonly intent: string;
  readonly outOfScope: boolean;
  /** Cosine similarity to the best centroid. */
  readonly score: number;
  /** Best minus second-best similarity: small means the router hesitated. */
  readonly margin: number;
  /** The best in-scope intent even when out of scope (useful for logs). */
  readonly nearest: string;
}

/**
 * Trains a router.
 *
 * @example
 * const router = await trainIntentRouter(train, { analyzer: createAnalyzer() });
 * await router.calibrate(heldOut);
 * (await router.classify('where is my parcel GW-10234')).intent; // 'order_status'
 */
export async function trainIntentRouter(
  examples: readonly LabelledUtterance[],
  options: IntentRouterOptions,
): Promise<IntentRouter> {
  const vectorizer =
    options.vectorizer ??
    (options.embedder
      ? createEmbeddingVectorizer(options.embedder)
      : options.analyzer
        ? createTfidfVectorizer(options.analyzer)
        : undefined);
  if (!vectorizer) {
    throw new InvalidRequestError('router_needs_vectorizer', 'Pass an embedder or a lexical analyzer.');
  }
  if (examples.length === 0) {
    throw new InvalidRequestError('router_needs_examples', 'The intent router needs labelled examples.');
  }
  const texts = examples.map((example) => example.text);
  await vectorizer.fit(texts);
  const vectors = await vectorizer.vectorize(texts);
  const sums = new Map<string, Float32Array>();
  examples.forEach((example, index) => {
    let sum = sums.get(example.intent);
    if (!sum) {
      sum = new Float32Array(vectorizer.dimensions);
      sums.set(example.intent, sum);
    }
    addInto(sum, vectors[index]!);
  });
  const centroids = [...sums].map(([intent, sum]) => ({ intent, centroid: normalise(sum) }));
  return new IntentRouter(
    vectorizer,
    centroids,
    options.outOfScopeLabel ?? 'out_of_scope',
    options.threshold ?? 0,
  );
}

/** A trained router. */
export class IntentRouter {
  /** @internal Built by `trainIntentRouter`. */
  constructor(
    private readonly vectorizer: TextVectorizer,
    private readonly centroids: readonly { intent: string; centroid: Float32Array }[],
    readonly outOfScopeLabel: string,
    private currentThreshold: number,
  ) {}

  /** The similarity under which an utterance is out of scope. */
  get threshold(): number {
    return this.currentThreshold;
  }

  /** The intents it knows, the out-of-scope label included when it was trained with examples. */
  get intents(): string[] {
    return this.centroids.map((entry) => entry.intent);
  }

  /** The vectorizer's name: which representation is routing (embedding or TF-IDF). */
  get representation(): string {
    return this.vectorizer.name;
  }

  /** Classifies one utterance. */
  async classify(text: string): Promise<IntentPrediction> {
    const [prediction] = await this.classifyMany([text]);
    return prediction!;
  }

  /** Classifies many utterances (vectorised in batches). */
  async classifyMany(texts: readonly string[]): Promise<IntentPrediction[]> {
    const vectors = await this.vectorizer.vectorize(texts);
    return vectors.map((vector) => this.predict(vector));
  }

  /**
   * Sets the threshold that classifies held-out examples best (out-of-scope examples count as right
   * when rejected); returns it. Without out-of-scope examples it keeps 98% of the correct in-scope ones.
   */
  async calibrate(heldOut: readonly LabelledUtterance[]): Promise<number> {
    const vectors = await this.vectorizer.vectorize(heldOut.map((example) => example.text));
    this.currentThreshold = calibrateThreshold(
      vectors.map((vector, index) => {
        const { best } = this.rank(vector);
        return { score: best.score, nearest: best.intent, label: heldOut[index]!.intent };
      }),
      this.outOfScopeLabel,
    );
    return this.currentThreshold;
  }

  private rank(vector: IntentVector) {
    let best = { intent: this.outOfScopeLabel, score: -Infinity };
    let second = -Infinity;
    let nearest = { intent: this.outOfScopeLabel, score: -Infinity };
    for (const { intent, centroid } of this.centroids) {
      const score = dot(centroid, vector);
      if (score > best.score) {
        second = best.score;
        best = { intent, score };
      } else if (score > second) second = score;
      if (intent !== this.outOfScopeLabel && score > nearest.score) nearest = { intent, score };
    }
    return { best, second, nearest };
  }

  private predict(vector: IntentVector): IntentPrediction {
    const { best, second, nearest } = this.rank(vector);
    const outOfScope = best.intent === this.outOfScopeLabel || best.score < this.currentThreshold;
    return {
      intent: outOfScope ? this.outOfScopeLabel : best.intent,
      outOfScope,
      score: best.score,
      margin: Number.isFinite(second) ? best.score - second : best.score,
      nearest: nearest.intent,
    };
  }
}
