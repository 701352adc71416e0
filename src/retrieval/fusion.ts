/**
 * @module retrieval/fusion
 * Reciprocal rank fusion: score = Σ_r weight_r / (k + rank_r). Rank-based, so BM25 scores and cosine
 * similarities need no calibration against each other.
 */

/** One ranked list to fuse. */
export interface RankedList {
  readonly weight: number;
  readonly ids: readonly number[];
}

/** Fuses ranked lists; returns ids with fused scores, best first (ties broken by id for stability). */
export function reciprocalRankFusion(
  lists: readonly RankedList[],
  k: number,
): { id: number; score: number }[] {
  const scores = new Map<number, number>();
  for (const list of lists) {
    list.ids.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + list.weight / (k + index + 1));
    });
  }
  return [...scores]
    .map(([id, score]) => ({ id, score }))
    .sort((left, right) => right.score - left.score || left.id - right.id);
}
