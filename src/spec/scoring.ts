/**
 * @module spec/scoring
 * The answer-quality scorer port: a scorer reads one answered question (the question, the answer
 * text, the full text of the passages it cites, and what the dataset knows about the right answer)
 * and returns metric values in [0, 1], or `null` for a metric that does not apply to the sample.
 *
 * A sample is plain data: it holds no database handle and no request, so the same scorers run in the
 * offline harness (`groundwork eval answers`) and, later, on answers sampled from the answer log by a
 * background worker (the worker builds samples from the stored answer and its cited chunks).
 */
import type { ConversationTurn } from './answer.ts';

/** A passage the answer cites, with its full stored text. */
export interface ScoredPassage {
  /** The citation number used in the answer text (`[n]`). */
  readonly n: number;
  readonly text: string;
  /** The dataset's id for the passage's document or record, when it is known. */
  readonly key?: string;
}

/** One answered question to score. */
export interface ScoringSample {
  readonly id: string;
  readonly question: string;
  readonly history?: readonly ConversationTurn[];
  /** The answer as the user saw it, citation markers included. */
  readonly answer: string;
  /** True when the answer says the knowledge base does not answer the question. */
  readonly abstained: boolean;
  readonly cited: readonly ScoredPassage[];
  /** Reference answers (any one is right); empty when the dataset has none. */
  readonly references: readonly string[];
  /** Keys of the passages that answer the question, when the dataset knows them. */
  readonly expectedPassages?: readonly string[];
  /** Whether the knowledge base answers the question; undefined when the dataset does not say. */
  readonly answerable?: boolean;
}

/** Metric values of one sample: a number in [0, 1], or null when the metric does not apply. */
export type MetricValues = Readonly<Record<string, number | null>>;

/** What a scorer says about one sample. */
export interface ScoreOutcome {
  readonly metrics: MetricValues;
  /** Why, in a few words (a judge's reason, the unsupported sentence). */
  readonly reason?: string;
}

/** How a call to a scorer may be cut short. */
export interface ScoringContext {
  readonly signal?: AbortSignal;
}

/** Scores samples; throws a `GroundworkError` with a stable code when it cannot score one. */
export interface AnswerScorer {
  /** Short name, used as the prefix of its metrics in reports (`lexical`, `judge`). */
  readonly name: string;
  /** `deterministic` scorers give the same values every time and run in CI; `judge` ones call a model. */
  readonly kind: 'deterministic' | 'judge';
  /** The metric names this scorer fills. */
  readonly metrics: readonly string[];
  score(sample: ScoringSample, context?: ScoringContext): Promise<ScoreOutcome>;
}
