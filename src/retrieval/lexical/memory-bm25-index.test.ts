import { describe, expect, it } from 'vitest';
import { createAnalyzer } from './analyzer.ts';
import { createMemoryBm25Index } from './memory-bm25-index.ts';

// d1 = [cat, sat] (len 2), d2 = [cat, cat, dog] (len 3), d3 = [bird] (len 1); N = 3, avgdl = 6/3 = 2.
function smallIndex() {
  const index = createMemoryBm25Index();
  index.add('d1', 'The cat sat.');
  index.add('d2', 'Cats, cats and a dog.');
  index.add('d3', 'Bird');
  return index;
}

describe('createMemoryBm25Index', () => {
  it('keeps the collection statistics the SQL side keeps', () => {
    const index = smallIndex();
    expect(index.stats()).toEqual({ documentCount: 3, totalLength: 6, averageDocumentLength: 2 });
    expect(index.documentFrequency('cat')).toBe(2);
    expect(index.documentFrequency('unicorn')).toBe(0);
  });

  it('leaves texts without terms out of N and avgdl, as Lucene does', () => {
    const index = smallIndex();
    index.add('empty', 'The, and of!');
    expect(index.stats()).toEqual({ documentCount: 3, totalLength: 6, averageDocumentLength: 2 });
    expect(() => index.add('empty', 'cat')).toThrow(/already indexed/);
  });

  it('scores by hand-computed BM25', () => {
    // idf(cat) = ln(1 + (3 − 2 + 0.5)/(2 + 0.5)) = ln 1.6 = 0.4700036.
    // d1: tf 1, len 2 → 1.9 / (1 + 0.9·(0.6 + 0.4·2/2)) = 1 → 0.4700036.
    // d2: tf 2, len 3 → 3.8 / (2 + 0.9·1.2) = 1.2337662 → 0.5798747.
    const hits = smallIndex().search('cat', 10);
    expect(hits.map((hit) => hit.id)).toEqual(['d2', 'd1']);
    expect(hits[0]!.score).toBeCloseTo(Math.log(1.6) * (3.8 / 3.08), 12);
    expect(hits[1]!.score).toBeCloseTo(Math.log(1.6), 12);
  });

  it('sums over query terms', () => {
    // idf(dog) = idf(bird) = ln(1 + 2.5/1.5) = 0.9808293.
    // d2 (dog, len 3): 1.9 / (1 + 0.9·1.2) = 0.9134615 → 0.8959498.
    // d3 (bird, len 1): 1.9 / (1 + 0.9·0.8) = 1.1046512 → 1.0834742.
    const hits = smallIndex().search('dog bird', 10);
    expect(hits.map((hit) => hit.id)).toEqual(['d3', 'd2']);
    expect(hits[0]!.score).toBeCloseTo(Math.log(8 / 3) * (1.9 / 1.72), 12);
    expect(hits[1]!.score).toBeCloseTo(Math.log(8 / 3) * (1.9 / 2.08), 12);
  });

  it('weighs a repeated query term by its count', () => {
    const index = smallIndex();
    const once = index.search('cat', 10);
    const twice = index.search('cat cats', 10);
    expect(twice.map((hit) => hit.id)).toEqual(once.map((hit) => hit.id));
    for (const [rank, hit] of twice.entries()) expect(hit.score).toBeCloseTo(2 * once[rank]!.score, 12);
  });

  it('breaks score ties by id and honours k', () => {
    const index = createMemoryBm25Index();
    index.add('b', 'same words');
    index.add('a', 'same words');
    index.add('c', 'other');
    expect(index.search('same', 10).map((hit) => hit.id)).toEqual(['a', 'b']);
    expect(index.search('same', 1).map((hit) => hit.id)).toEqual(['a']);
    expect(index.search('same', 0)).toEqual([]);
  });

  it('returns nothing for queries without known terms', () => {
    const index = smallIndex();
    expect(index.search('unicorn', 10)).toEqual([]);
    expect(index.search('the and of', 10)).toEqual([]);
    expect(createMemoryBm25Index().search('cat', 10)).toEqual([]);
  });

  it('rejects duplicate ids and bad k', () => {
    const index = smallIndex();
    expect(() => index.add('d1', 'again')).toThrow(/already indexed/);
    expect(() => index.search('cat', -1)).toThrow(/k must be/);
  });

  it('uses the given analyzer and parameters', () => {
    const index = createMemoryBm25Index({
      analyzer: createAnalyzer({ stopWords: 'none' }),
      k1: 1.2,
      b: 0.75,
    });
    index.add('d', 'the cat');
    expect(index.parameters).toEqual({ k1: 1.2, b: 0.75 });
    expect(index.search('the', 1)).toHaveLength(1);
  });

  it('can read lengths through Lucene norms while avgdl stays exact', () => {
    const long = Array.from({ length: 161 }, (_, index) => `w${index}`).join(' ');
    const exact = createMemoryBm25Index();
    const lucene = createMemoryBm25Index({ lengthEncoding: 'lucene' });
    for (const index of [exact, lucene]) {
      index.add('long', `${long} cat`);
      index.add('short', 'dog');
    }
    // 162 terms read back as 152 from Lucene's one-byte norm, so the long document scores higher.
    expect(lucene.stats()).toEqual(exact.stats());
    expect(lucene.search('cat', 1)[0]!.score).toBeGreaterThan(exact.search('cat', 1)[0]!.score);
  });
});
