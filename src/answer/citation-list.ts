/**
 * @module answer/citation-list
 * The citation list of an answer: the passages its text cites, numbered as in the text.
 */
import type { Citation } from '../spec/answer.ts';
import { resolveCitations } from './citations.ts';
import type { Passage } from './context-assembly.ts';

/** The answer text with clean markers, its citations, and how many markers were removed. */
export interface CitedAnswer {
  readonly text: string;
  readonly citations: Citation[];
  readonly removed: number;
}

/** Resolves the markers of `text` against `passages` (numbered 1…n) and lists what it cites. */
export function citeAnswer(text: string, passages: readonly Passage[]): CitedAnswer {
  const resolved = resolveCitations(text, passages.length);
  const citations = resolved.cited.map((original, index): Citation => {
    const { chunk } = passages[original - 1]!;
    return {
      n: index + 1,
      documentId: chunk.documentId,
      chunkId: chunk.chunkId,
      title: chunk.title,
      source: chunk.originUri,
      page: chunk.page,
      headingPath: chunk.headingPath,
      snippet: chunk.snippet,
      score: chunk.scores.fused,
    };
  });
  return { text: resolved.text, citations, removed: resolved.removed };
}
