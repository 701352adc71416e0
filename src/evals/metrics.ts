/**
 * @module evals/metrics
 * Ranking metrics as BEIR reports them (pytrec_eval / trec_eval definitions). Every function takes a
 * ranked list of document ids (best first) and one query's judgements (document id → graded relevance).
 *
 * - A grade > 0 means relevant; grades ≤ 0 and unjudged documents count as not relevant (gain 0).
 * - A document id repeated in the ranking counts once, at its first position.
 * - Queries without any relevant document make every metric undefined; these functions return 0 for
 *   them and the evaluator skips such queries (as BEIR does, since they are absent from its qrels).
 */
import { InvalidRequestError } from '../errors.ts';

/** One query's judgements: document id → graded relevance. */
export type Judgements = ReadonlyMap<string, number>;

/**
 * nDCG@k with linear gains and a log2 discount: DCG = Σ_{i=1..k} grade_i / log2(i + 1), divided by the
 * DCG of the ideal ranking, which sorts all judged relevant documents by grade.
 */
export function ndcgAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const ideal = [...judgements.values()].filter((grade) => grade > 0).sort((left, right) => right - left);
  const idealDcg = discountedGain(ideal.slice(0, checkK(k)));
  if (idealDcg === 0) return 0;
  const gains = topK(ranked, k).map((id) => Math.max(0, judgements.get(id) ?? 0));
  return discountedGain(gains) / idealDcg;
}

/** Recall@k: relevant documents in the top k divided by all relevant documents. */
export function recallAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const relevant = countRelevant(judgements);
  if (relevant === 0) return 0;
  const found = topK(ranked, k).filter((id) => (judgements.get(id) ?? 0) > 0).length;
  return found / relevant;
}

/** MRR@k: 1 / rank of the first relevant document within the top k, else 0. */
export function mrrAtK(ranked: readonly string[], judgements: Judgements, k: number): number {
  const position = topK(ranked, k).findIndex((id) => (judgements.get(id) ?? 0) > 0);
  return position === -1 ? 0 : 1 / (position + 1);
}

/** Number of documents with a grade > 0. */
export function countRelevant(judgements: Judgements): number {
  let count = 0;
  for (const grade of judgements.values()) if (grade > 0) count++;
  return count;
}

/** Arithmetic mean of each key over rows (rows must share keys); empty input gives an empty object. */
export function meanMetrics<Key extends string>(
  rows: readonly Readonly<Record<Key, number>>[],
): Record<Key, number> {
  const sums = {} as Record<Key, number>;
  for (const row of rows) {
    for (const key of Object.keys(row) as Key[]) sums[key] = (sums[key] ?? 0) + row[key];
  }
  for (const key of Object.keys(sums) as Key[]) sums[key] /= rows.length;
  return sums;
}

/** The first k distinct ids. */
function topK(ranked: readonly string[], k: number): string[] {
  checkK(k);
  const seen = new Set<string>();
  const top: string[] = [];
  for (const id of ranked) {
    if (top.length >= k) break;
    if (seen.has(id)) continue;
    seen.add(id);
    top.push(id);
  }
  return top;
}

function discountedGain(gains: readonly number[]): number {
  let total = 0;
  for (let index = 0; index < gains.length; index++) total += gains[index]! / Math.log2(index + 2);
  return total;
}

function checkK(k: number): number {
  if (!Number.isInteger(k) || k < 1)
    throw new InvalidRequestError('invalid_k', `k must be an integer ≥ 1, got ${k}`);
  return k;
}
