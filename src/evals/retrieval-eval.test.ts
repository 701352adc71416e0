import { describe, expect, it } from 'vitest';
import { evaluateRetrieval } from './retrieval-eval.ts';

const queries = new Map([
  ['q1', 'alpha'],
  ['q2', 'beta'],
  ['q3', 'gamma'],
  ['q4', 'delta'],
]);
const qrels = new Map([
  ['q1', new Map([['a', 1]])],
  [
    'q2',
    new Map([
      ['b', 1],
      ['c', 0],
    ]),
  ],
  ['q3', new Map([['x', 0]])],
  ['q4', new Map([['d', 1]])],
]);
const rankings: Record<string, string[]> = { alpha: ['a', 'z'], beta: ['c', 'b'], gamma: ['x'], delta: [] };

describe('evaluateRetrieval', () => {
  it('averages metrics over queries with a relevant document and skips the rest', async () => {
    const calls: unknown[] = [];
    const report = await evaluateRetrieval({
      queries,
      qrels,
      ks: [1, 10],
      search: async (text, context) => {
        calls.push([text, context]);
        return rankings[text] ?? [];
      },
    });
    // q3 has no grade > 0 and is skipped; q4 returns nothing and scores 0.
    expect(report.skippedQueries).toBe(1);
    expect(report.queries.map((query) => query.queryId)).toEqual(['q1', 'q2', 'q4']);
    expect(calls).toEqual([
      ['alpha', { queryId: 'q1', limit: 10 }],
      ['beta', { queryId: 'q2', limit: 10 }],
      ['delta', { queryId: 'q4', limit: 10 }],
    ]);
    // q1: hit at rank 1 → nDCG@10 1, MRR 1. q2: hit at rank 2 → nDCG@10 = 1/log2(3) = 0.6309298, MRR 1/2.
    // q4: 0. Means: nDCG@10 = 1.6309298/3 = 0.5436433, MRR@10 = 1.5/3 = 0.5, R@1 = 1/3, R@10 = 2/3.
    expect(report.metrics['ndcg@10']).toBeCloseTo((1 + 1 / Math.log2(3)) / 3, 12);
    expect(report.metrics['mrr@10']).toBeCloseTo(0.5, 12);
    expect(report.metrics['recall@1']).toBeCloseTo(1 / 3, 12);
    expect(report.metrics['recall@10']).toBeCloseTo(2 / 3, 12);
    expect(report.metrics['ndcg@1']).toBeCloseTo(1 / 3, 12);
    expect(report.queries[2]).toMatchObject({ queryId: 'q4', retrieved: 0, metrics: { 'ndcg@10': 0 } });
    const { p50Ms, p95Ms, maxMs, meanMs, totalMs } = report.timing;
    expect(0 <= p50Ms && p50Ms <= p95Ms && p95Ms <= maxMs && meanMs <= maxMs && maxMs <= totalMs).toBe(true);
  });

  it('defaults to nDCG, recall and MRR at 10 and 100', async () => {
    const report = await evaluateRetrieval({ queries, qrels, search: async (text) => rankings[text] ?? [] });
    expect(Object.keys(report.metrics).sort()).toEqual([
      'mrr@10',
      'mrr@100',
      'ndcg@10',
      'ndcg@100',
      'recall@10',
      'recall@100',
    ]);
  });

  it('runs searches concurrently, keeps qrels order and reports progress', async () => {
    let inFlight = 0;
    let peak = 0;
    const progress: number[] = [];
    const many = new Map(
      Array.from({ length: 12 }, (_, index) => [`q${index}`, new Map([[`d${index}`, 1]])]),
    );
    const texts = new Map(Array.from({ length: 12 }, (_, index) => [`q${index}`, `text ${index}`]));
    const report = await evaluateRetrieval({
      queries: texts,
      qrels: many,
      concurrency: 3,
      onProgress: ({ done, total }) => progress.push(done / total),
      search: async (text) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        // Later queries finish first, so completion order differs from qrels order.
        await new Promise((resolve) => setTimeout(resolve, 12 - Number(text.split(' ')[1])));
        inFlight--;
        return [`d${text.split(' ')[1]}`];
      },
    });
    expect(peak).toBe(3);
    expect(report.queries.map((query) => query.queryId)).toEqual([...many.keys()]);
    expect(report.metrics['ndcg@10']).toBe(1);
    expect(progress).toHaveLength(12);
    expect(progress.at(-1)).toBe(1);
  });

  it('stops starting searches after one fails and rethrows', async () => {
    let calls = 0;
    const run = evaluateRetrieval({
      queries,
      qrels,
      search: async () => {
        calls++;
        throw new Error('search is down');
      },
    });
    await expect(run).rejects.toThrow('search is down');
    expect(calls).toBe(1);
  });

  it('rejects bad options and judged queries without text', async () => {
    const search = async () => [];
    await expect(evaluateRetrieval({ queries, qrels, search, ks: [] })).rejects.toThrow(/ks must be/);
    await expect(evaluateRetrieval({ queries, qrels, search, concurrency: 0 })).rejects.toThrow(
      /concurrency/,
    );
    await expect(evaluateRetrieval({ queries: new Map(), qrels, search })).rejects.toThrow(/has no text/);
  });
});
