/**
 * The in-process index against a brute-force BM25 over the same chunks, with per-access-set statistics
 * (ADR 0064), filters and deletions, across several refreshes (segments + deletion bitmap). The
 * database equivalence (against `searchBm25`) is in `memory-engine.test.ts`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { topKDifference } from '../../../testing/same-top-k.ts';
import { bm25Idf } from '../bm25.ts';
import { LexicalIndex } from './lexical-index.ts';
import { BLOCK_SIZE } from './segment.ts';

const PARAMETERS = { k1: 0.9, b: 0.4 };
const SETS = [
  { id: 1, principals: ['*'] },
  { id: 2, principals: ['group:a'] },
  { id: 3, principals: ['group:b', 'user:x'] },
];

interface Chunk {
  readonly chunkId: number;
  readonly aclSetId: number;
  readonly tfs: Map<string, number>;
  readonly length: number;
}

/** Brute force, as `bm25-sql.ts` defines it. */
function bruteForce(
  chunks: readonly Chunk[],
  terms: readonly string[],
  readableSets: ReadonlySet<number> | undefined,
  allowed: ReadonlySet<number> | undefined,
): Map<number, number> {
  const visible = chunks.filter((chunk) => readableSets === undefined || readableSets.has(chunk.aclSetId));
  const n = visible.length;
  const total = visible.reduce((sum, chunk) => sum + chunk.length, 0);
  const scores = new Map<number, number>();
  if (n === 0) return scores;
  const counts = new Map<string, number>();
  for (const term of terms) counts.set(term, (counts.get(term) ?? 0) + 1);
  for (const [term, count] of counts) {
    const df = visible.filter((chunk) => chunk.tfs.has(term)).length;
    if (df === 0) continue;
    const weight = count * bm25Idf(n, df);
    for (const chunk of visible) {
      const tf = chunk.tfs.get(term);
      if (tf === undefined || (allowed !== undefined && !allowed.has(chunk.chunkId))) continue;
      const { k1, b } = PARAMETERS;
      const score = (weight * tf * (k1 + 1)) / (tf + k1 * (1 - b + (b * chunk.length) / (total / n)));
      scores.set(chunk.chunkId, (scores.get(chunk.chunkId) ?? 0) + score);
    }
  }
  return scores;
}

function topK(scores: Map<number, number>, limit: number) {
  return [...scores]
    .map(([chunkId, score]) => ({ chunkId, score }))
    .sort((left, right) => right.score - left.score || left.chunkId - right.chunkId)
    .slice(0, limit);
}

function apply(index: LexicalIndex, added: readonly Chunk[], removed: readonly number[]): void {
  const byTerm = new Map<string, { chunkIds: number[]; tfs: number[] }>();
  for (const chunk of [...added].sort((left, right) => left.chunkId - right.chunkId)) {
    for (const [term, tf] of chunk.tfs) {
      let list = byTerm.get(term);
      if (!list) {
        list = { chunkIds: [], tfs: [] };
        byTerm.set(term, list);
      }
      list.chunkIds.push(chunk.chunkId);
      list.tfs.push(tf);
    }
  }
  index.apply({
    sets: SETS,
    removed,
    added: [...added]
      .sort((left, right) => left.chunkId - right.chunkId)
      .map((chunk) => ({ chunkId: chunk.chunkId, aclSetId: chunk.aclSetId, length: chunk.length })),
    postings: [...byTerm].map(([term, list]) => ({ term, ...list })),
  });
}

const VOCABULARY = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'common', 'rare'];
const chunkArbitrary = fc.record({
  aclSetId: fc.constantFrom(1, 1, 2, 3),
  words: fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 12 }),
});

function toChunk(chunkId: number, input: { aclSetId: number; words: string[] }): Chunk {
  const tfs = new Map<string, number>();
  for (const word of input.words) tfs.set(word, (tfs.get(word) ?? 0) + 1);
  return { chunkId, aclSetId: input.aclSetId, tfs, length: input.words.length };
}

describe('LexicalIndex', () => {
  it('returns the brute-force top k up to ties, per caller, across refreshes and deletions', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(chunkArbitrary, { maxLength: 400 }), { minLength: 1, maxLength: 4 }),
        fc.array(fc.nat(), { maxLength: 100 }),
        fc.array(fc.array(fc.constantFrom(...VOCABULARY), { minLength: 1, maxLength: 6 }), {
          minLength: 1,
          maxLength: 5,
        }),
        fc.constantFrom(1, 3, 10, 50),
        (batches, deletions, queries, limit) => {
          const index = new LexicalIndex(PARAMETERS);
          let live: Chunk[] = [];
          let nextId = 1;
          for (const [batchIndex, batch] of batches.entries()) {
            const added = batch.map((input) => {
              nextId += 1 + (input.words.length % 3);
              return toChunk(nextId, input);
            });
            // Each refresh removes some earlier chunks (ids picked from what is live).
            const removed = [
              ...new Set(
                deletions
                  .slice(batchIndex * 25, batchIndex * 25 + 25)
                  .map((pick) => live[pick % Math.max(1, live.length)]?.chunkId)
                  .filter((id): id is number => id !== undefined),
              ),
            ];
            apply(index, added, removed);
            live = [...live.filter((chunk) => !removed.includes(chunk.chunkId)), ...added];
          }
          const callers: { principals?: string[]; sets?: Set<number> }[] = [
            {},
            { principals: ['group:a'], sets: new Set([1, 2]) },
            { principals: ['user:x'], sets: new Set([1, 3]) },
            { principals: ['nobody'], sets: new Set([1]) },
          ];
          const allowed = new Set(
            live.filter((chunk) => chunk.chunkId % 3 !== 0).map((chunk) => chunk.chunkId),
          );
          for (const terms of queries) {
            for (const caller of callers) {
              for (const filter of [undefined, allowed]) {
                const reference = bruteForce(live, terms, caller.sets, filter);
                const actual = index.search({ terms, principals: caller.principals, allowed: filter, limit });
                const difference = topKDifference(actual, topK(reference, limit), reference);
                expect(
                  difference,
                  `${terms.join(' ')} as ${caller.principals ?? 'operator'}`,
                ).toBeUndefined();
                // Scores are summed in query-term order whatever the segments and pruning did, so
                // they are the brute force's to the bit and ties break by chunk id exactly.
                expect(actual).toEqual(topK(reference, limit));
              }
            }
          }
        },
      ),
      { numRuns: 60, seed: 18 },
    );
  });

  it('prunes blocks of a term that covers every chunk and still ranks exactly', () => {
    const index = new LexicalIndex(PARAMETERS);
    const chunks: Chunk[] = [];
    for (let id = 1; id <= BLOCK_SIZE * 20; id++) {
      const words = [
        'every',
        ...(id % 97 === 0 ? ['needle', 'needle'] : []),
        ...(id % 5 === 0 ? ['hay'] : []),
      ];
      chunks.push(toChunk(id, { aclSetId: id % 2 === 0 ? 1 : 2, words }));
    }
    apply(index, chunks, []);
    for (const terms of [['every'], ['needle', 'every'], ['hay', 'every', 'needle'], ['unknown'], []]) {
      for (const principals of [undefined, ['nobody']]) {
        const sets = principals === undefined ? undefined : new Set([1]);
        const reference = bruteForce(chunks, terms, sets, undefined);
        const actual = index.search({ terms, principals, limit: 10 });
        expect(topKDifference(actual, topK(reference, 10), reference)).toBeUndefined();
      }
    }
    expect(index.stats()).toMatchObject({ chunks: BLOCK_SIZE * 20, segments: 1, deleted: 0 });
    expect(index.stats().memoryBytes).toBeGreaterThan(0);
  });

  it('answers a query of 500 terms (scored term at a time) and repeated terms like the reference', () => {
    const index = new LexicalIndex(PARAMETERS);
    const chunks = Array.from({ length: 600 }, (_, id) =>
      toChunk(id + 1, {
        aclSetId: id % 4 === 0 ? 2 : 1,
        words: [`w${id % 97}`, `w${id % 11}`, `v${id % 7}`],
      }),
    );
    apply(index, chunks, []);
    // 110 distinct known terms: more cursors than MaxScore takes, so the exhaustive path answers.
    const terms = Array.from({ length: 500 }, (_, position) =>
      position % 2 ? `w${position % 110}` : `v${position % 9}`,
    );
    for (const [principals, sets] of [
      [undefined, undefined],
      [['nobody'], new Set([1])],
    ] as const) {
      const reference = bruteForce(chunks, terms, sets, undefined);
      const actual = index.search({ terms, principals: principals ? [...principals] : undefined, limit: 20 });
      expect(topKDifference(actual, topK(reference, 20), reference)).toBeUndefined();
    }
    index.apply({ sets: SETS, removed: [2, 3, 5, 7], added: [], postings: [] });
    const live = chunks.filter((chunk) => ![2, 3, 5, 7].includes(chunk.chunkId));
    const reference = bruteForce(live, terms, undefined, undefined);
    expect(
      topKDifference(index.search({ terms, limit: 20 }), topK(reference, 20), reference),
    ).toBeUndefined();
  });
});
