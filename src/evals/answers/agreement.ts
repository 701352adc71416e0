/**
 * @module evals/answers/agreement
 * How well a scorer agrees with people: on a hand-labelled set (0/1 labels per metric), each scorer's
 * value is read as a label (≥ 0.5 is 1) and compared with the human one: raw agreement and Cohen's
 * kappa (agreement beyond chance). Items a scorer could not score are counted, not guessed.
 */
import { readFile } from 'node:fs/promises';
import { GroundworkError } from '../../errors.ts';
import type { AnswerScorer, ScoringSample } from '../../spec/scoring.ts';
import { scoreWithTimeout } from './run-answer-eval.ts';

/** One labelled item: a scoring sample and the labels a person gave it. */
export interface LabelledItem {
  readonly sample: ScoringSample;
  /** Metric → 0 or 1 (e.g. faithfulness, relevance, correctness). */
  readonly labels: Readonly<Record<string, number>>;
  readonly note?: string;
}

/** Agreement on one metric. */
export interface MetricAgreement {
  readonly metric: string;
  /** Items both the person and the scorer labelled. */
  readonly n: number;
  readonly agreement: number;
  readonly kappa: number;
}

/** A scorer's agreement with the labels. */
export interface AgreementReport {
  readonly scorer: string;
  readonly items: number;
  /** Items the scorer failed on, by error code. */
  readonly errors: Readonly<Record<string, number>>;
  readonly metrics: readonly MetricAgreement[];
}

/** Reads a JSON Lines file of labelled items; `labels_invalid` names the bad line. */
export async function readLabelledItems(file: string): Promise<LabelledItem[]> {
  const text = await readFile(file, 'utf8').catch((error: Error) => {
    throw new GroundworkError({ code: 'labels_invalid', message: `Cannot read ${file}: ${error.message}` });
  });
  return text
    .split('\n')
    .map((line, index) => ({ line, number: index + 1 }))
    .filter(({ line }) => line.trim() !== '')
    .map(({ line, number }) => {
      try {
        const item = JSON.parse(line) as LabelledItem;
        if (typeof item.sample?.answer !== 'string' || typeof item.labels !== 'object')
          throw new Error('shape');
        return item;
      } catch {
        throw new GroundworkError({
          code: 'labels_invalid',
          message: `${file}:${number}: expected {"sample": {…}, "labels": {…}}`,
        });
      }
    });
}

/** Scores every item with `scorer` and compares with the labels, metric by metric. */
export async function measureAgreement(
  scorer: AnswerScorer,
  items: readonly LabelledItem[],
  options: { readonly timeoutMs?: number; readonly metrics?: Readonly<Record<string, string>> } = {},
): Promise<AgreementReport> {
  const pairs = new Map<string, [number, number][]>();
  const errors: Record<string, number> = {};
  for (const item of items) {
    let values: Readonly<Record<string, number | null>>;
    try {
      values = (await scoreWithTimeout(scorer, item.sample, options.timeoutMs ?? 60_000)).metrics;
    } catch (error) {
      const code = GroundworkError.isInstance(error) ? error.code : 'scorer_failed';
      errors[code] = (errors[code] ?? 0) + 1;
      continue;
    }
    for (const [label, human] of Object.entries(item.labels)) {
      // A scorer may name a label's metric differently (the lexical scorer's `f1` for `correctness`).
      const value = values[options.metrics?.[label] ?? label];
      if (value === null || value === undefined) continue;
      pairs.set(label, [...(pairs.get(label) ?? []), [human, value >= 0.5 ? 1 : 0]]);
    }
  }
  return {
    scorer: scorer.name,
    items: items.length,
    errors,
    metrics: [...pairs].map(([metric, list]) => ({ metric, n: list.length, ...agreementOf(list) })),
  };
}

/** Raw agreement and Cohen's kappa of 0/1 label pairs (kappa 0 when chance agreement is total). */
export function agreementOf(pairs: readonly (readonly [number, number])[]): {
  agreement: number;
  kappa: number;
} {
  const n = pairs.length;
  if (n === 0) return { agreement: 0, kappa: 0 };
  const observed = pairs.filter(([a, b]) => a === b).length / n;
  const a1 = pairs.filter(([a]) => a === 1).length / n;
  const b1 = pairs.filter(([, b]) => b === 1).length / n;
  const expected = a1 * b1 + (1 - a1) * (1 - b1);
  return { agreement: observed, kappa: expected >= 1 ? 0 : (observed - expected) / (1 - expected) };
}
