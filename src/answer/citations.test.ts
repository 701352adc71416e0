import { describe, expect, it } from 'vitest';
import { passagesOf } from './__fixtures__/chunks.ts';
import { citeAnswer } from './citation-list.ts';
import { resolveCitations } from './citations.ts';

describe('citations', () => {
  it('parses [n], [n, m] and [n][m], renumbering by first mention', () => {
    const resolved = resolveCitations('Returns take 30 days [3]. Refunds take 5 days [1, 3][2].', 3);
    expect(resolved).toEqual({
      text: 'Returns take 30 days [1]. Refunds take 5 days [2, 1][3].',
      cited: [3, 1, 2],
      removed: 0,
    });
  });

  it('removes numbers that name no passage and counts them', () => {
    const resolved = resolveCitations('Yes [9]. Also [0] here [2, 7]. [4]', 2);
    expect(resolved).toEqual({ text: 'Yes. Also here [1].', cited: [2], removed: 4 });
  });

  it('leaves text without markers alone, and de-duplicates within a marker', () => {
    expect(resolveCitations('Plain text, no markers.', 3)).toEqual({
      text: 'Plain text, no markers.',
      cited: [],
      removed: 0,
    });
    expect(resolveCitations('Twice [2, 2].', 2).text).toBe('Twice [1].');
  });

  it('lists the cited passages numbered as in the text', () => {
    const passages = passagesOf(['First passage.', 'Second passage.', 'Third passage.']);
    const cited = citeAnswer('B [2] and C [3], B again [2] and a ghost [5].', passages);
    expect(cited.text).toBe('B [1] and C [2], B again [1] and a ghost.');
    expect(cited.removed).toBe(1);
    expect(cited.citations.map((citation) => [citation.n, citation.chunkId, citation.title])).toEqual([
      [1, 2, 'Document 2'],
      [2, 3, 'Document 3'],
    ]);
    expect(cited.citations[0]).toMatchObject({
      source: 'file:///kb/doc-2.md',
      page: null,
      headingPath: ['Section 2'],
      score: 0.5,
    });
  });
});
