/**
 * @module testing/same-top-k
 * "Identical up to ties" for ranked lexical hits: the same number of hits, the same score at every
 * rank (within floating-point summation noise), and every returned chunk scored the same by the
 * reference. Two engines may order equal scores differently only if their sums differ in the last bits,
 * and may pick different members of a tie at the cut-off.
 */

/** A ranked hit. */
export interface RankedHit {
  readonly chunkId: number;
  readonly score: number;
}

/** Relative tolerance for scores summed in different orders. */
const TOLERANCE = 1e-9;

function close(left: number, right: number): boolean {
  return Math.abs(left - right) <= TOLERANCE * Math.max(1, Math.abs(left), Math.abs(right));
}

/**
 * Returns why `actual` is not the reference top-k up to ties, or undefined when it is.
 *
 * @param actual the engine's top k.
 * @param expected the reference's top k for the same query.
 * @param reference every chunk the reference scores for the query (its top k with a larger k).
 */
export function topKDifference(
  actual: readonly RankedHit[],
  expected: readonly RankedHit[],
  reference: ReadonlyMap<number, number>,
): string | undefined {
  if (actual.length !== expected.length) return `${actual.length} hits instead of ${expected.length}`;
  const seen = new Set<number>();
  for (let rank = 0; rank < actual.length; rank++) {
    const hit = actual[rank]!;
    if (!close(hit.score, expected[rank]!.score)) {
      return `rank ${rank + 1}: score ${hit.score} instead of ${expected[rank]!.score}`;
    }
    const referenceScore = reference.get(hit.chunkId);
    if (referenceScore === undefined || !close(referenceScore, hit.score)) {
      return `rank ${rank + 1}: chunk ${hit.chunkId} scored ${hit.score}, reference ${referenceScore}`;
    }
    if (seen.has(hit.chunkId)) return `chunk ${hit.chunkId} returned twice`;
    seen.add(hit.chunkId);
  }
  return undefined;
}
