/** A scored chunk, reduced to what document ranking needs. */
export interface ScoredChunk {
  /** Key of the document the chunk belongs to (the id the qrels use). */
  readonly documentKey: string;
  readonly score: number;
}

/**
 * Turns a chunk ranking into a document ranking, as BEIR's qrels judge documents, not chunks. A
 * document scores its best chunk (max, not sum, so long documents gain nothing from having many
 * chunks). Order is score descending; ties keep the order in which the documents first appear in
 * `chunks`, so a tie-broken chunk ranking stays tie-broken.
 *
 * @param limit how many document keys to return at most.
 * @example
 * rankDocumentsFromChunks([{ documentKey: 'a', score: 1 }, { documentKey: 'b', score: 3 }, { documentKey: 'a', score: 2 }], 10);
 * // ['b', 'a']
 */
export function rankDocumentsFromChunks(chunks: readonly ScoredChunk[], limit: number): string[] {
  const best = new Map<string, { score: number; order: number }>();
  for (const { documentKey, score } of chunks) {
    const seen = best.get(documentKey);
    if (seen === undefined) best.set(documentKey, { score, order: best.size });
    else if (score > seen.score) seen.score = score;
  }
  return [...best]
    .sort(([, left], [, right]) => right.score - left.score || left.order - right.order)
    .slice(0, Math.max(0, limit))
    .map(([documentKey]) => documentKey);
}
