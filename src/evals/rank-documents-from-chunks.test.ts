import { describe, expect, it } from 'vitest';
import { rankDocumentsFromChunks } from './rank-documents-from-chunks.ts';

describe('rankDocumentsFromChunks', () => {
  it('scores a document by its best chunk', () => {
    const chunks = [
      { documentKey: 'a', score: 1 },
      { documentKey: 'b', score: 3 },
      { documentKey: 'a', score: 2 },
      { documentKey: 'c', score: 2.5 },
    ];
    // Max per document: a = 2, b = 3, c = 2.5 (a's two chunks do not add up to 3).
    expect(rankDocumentsFromChunks(chunks, 10)).toEqual(['b', 'c', 'a']);
    expect(rankDocumentsFromChunks(chunks, 2)).toEqual(['b', 'c']);
  });

  it('keeps first-appearance order for equal scores', () => {
    const chunks = [
      { documentKey: 'z', score: 1 },
      { documentKey: 'a', score: 1 },
      { documentKey: 'm', score: 1 },
      { documentKey: 'a', score: 0.5 },
    ];
    expect(rankDocumentsFromChunks(chunks, 10)).toEqual(['z', 'a', 'm']);
  });

  it('handles empty input and non-positive limits', () => {
    expect(rankDocumentsFromChunks([], 10)).toEqual([]);
    expect(rankDocumentsFromChunks([{ documentKey: 'a', score: 1 }], 0)).toEqual([]);
  });
});
