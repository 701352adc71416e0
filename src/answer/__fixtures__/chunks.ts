/**
 * @module answer/__fixtures__/chunks
 * Retrieved chunks and passages built from plain text, for tests of the answer steps.
 */
import type { RetrievedChunk } from '../../spec/retrieval.ts';
import type { Passage } from '../context-assembly.ts';

/** A retrieved chunk with `text`; rank sets its id and a falling score. */
export function chunkOf(text: string, rank = 1, overrides: Partial<RetrievedChunk> = {}): RetrievedChunk {
  return {
    chunkId: rank,
    documentId: rank,
    documentUri: `file:///kb/doc-${rank}.md`,
    originUri: `file:///kb/doc-${rank}.md`,
    title: `Document ${rank}`,
    ordinal: 0,
    headingPath: [`Section ${rank}`],
    page: null,
    text,
    snippet: text.slice(0, 80),
    metadata: {},
    scores: { fused: 1 / rank },
    ...overrides,
  };
}

/** Passages numbered 1…n from texts, as context assembly would number them. */
export function passagesOf(texts: readonly string[]): Passage[] {
  return texts.map((text, index) => ({
    n: index + 1,
    chunk: chunkOf(text, index + 1),
    text,
    tokens: 0,
    trimmed: false,
  }));
}
