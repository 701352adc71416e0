/**
 * @module evals/retrieval-eval
 * Runs every judged query through a search function and reports BEIR-style metrics (means over
 * queries), per-query results and latency. The search function returns ranked document ids; mapping
 * chunks to documents is the caller's job (see `rankDocumentsFromChunks`).
 */
import { InvalidRequestError, NotFoundError } from '../errors.ts';
import type { Qrels } from './beir.ts';
import { countRelevant, meanMetrics, mrrAtK, ndcgAtK, recallAtK } from './metrics.ts';

/** Metric keys such as `ndcg@10`, `recall@100`, `mrr@10`. */
export type RetrievalMetricName = `${'ndcg' | 'recall' | 'mrr'}@${number}`;

/** What the search function learns besides the query text. */
export interface SearchContext {
  readonly queryId: string;
  /** The largest cut-off: return at least this many documents when you have them. */
  readonly limit: number;
}

/** Options of {@link evaluateRetrieval}. */
export interface EvaluateRetrievalOptions {
  /** Query id → text; must cover every query in `qrels`. */
  readonly queries: ReadonlyMap<string, string>;
  readonly qrels: Qrels;
  /** Ranked document ids for a query, best first. */
  readonly search: (queryText: string, context: SearchContext) => Promise<readonly string[]>;
  /** Cut-offs (default `[10, 100]`); each gives nDCG@k, Recall@k and MRR@k. */
  readonly ks?: readonly number[];
  /** Searches in flight at once (default 1). Above 1, latencies include waiting for shared resources. */
  readonly concurrency?: number;
  readonly onProgress?: (progress: { readonly done: number; readonly total: number }) => void;
}

/** One query's outcome. */
export interface QueryEvaluation {
  readonly queryId: string;
  readonly metrics: Record<RetrievalMetricName, number>;
  /** Number of ids the search returned. */
  readonly retrieved: number;
  readonly latencyMs: number;
}

/** Latency summary over all searches, in milliseconds. */
export interface LatencySummary {
  readonly totalMs: number;
  readonly meanMs: number;
  readonly p50Ms: number;
  readonly p95Ms: number;
  readonly maxMs: number;
}

/** The result of {@link evaluateRetrieval}. */
export interface RetrievalEvaluation {
  /** Mean of each metric over the evaluated queries. */
  readonly metrics: Record<RetrievalMetricName, number>;
  /** Evaluated queries, in qrels order. */
  readonly queries: readonly QueryEvaluation[];
  /** Judged queries left out because none of their documents has a grade > 0. */
  readonly skippedQueries: number;
  readonly timing: LatencySummary;
}

/**
 * Evaluates a search function against judgements. Queries whose judgements contain no relevant
 * document (grade > 0) are skipped and counted in `skippedQueries`. A query for which the search
 * returns nothing is evaluated and scores 0 (BEIR's pytrec_eval would silently leave it out).
 *
 * @example
 * const report = await evaluateRetrieval({ queries, qrels, search: async (text) => ids(text) });
 * report.metrics['ndcg@10'];
 */
export async function evaluateRetrieval(options: EvaluateRetrievalOptions): Promise<RetrievalEvaluation> {
  const ks = options.ks ?? [10, 100];
  const concurrency = options.concurrency ?? 1;
  if (ks.length === 0 || ks.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new InvalidRequestError('invalid_k', 'ks must be a non-empty list of integers ≥ 1', { ks });
  }
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new InvalidRequestError('invalid_concurrency', 'concurrency must be an integer ≥ 1', {
      concurrency,
    });
  }
  const judged = [...options.qrels].filter(([, judgements]) => countRelevant(judgements) > 0);
  for (const [queryId] of judged) {
    if (!options.queries.has(queryId)) {
      throw new NotFoundError('query_not_found', `judged query ${queryId} has no text`, { queryId });
    }
  }
  const limit = Math.max(...ks);
  const results = new Array<QueryEvaluation>(judged.length);
  let next = 0;
  let done = 0;
  let failed = false;
  const started = performance.now();

  const worker = async (): Promise<void> => {
    while (!failed && next < judged.length) {
      const index = next++;
      const [queryId, judgements] = judged[index]!;
      const before = performance.now();
      let ranked: readonly string[];
      try {
        ranked = await options.search(options.queries.get(queryId)!, { queryId, limit });
      } catch (error) {
        failed = true;
        throw error;
      }
      const latencyMs = performance.now() - before;
      const metrics = {} as Record<RetrievalMetricName, number>;
      for (const k of ks) {
        metrics[`ndcg@${k}`] = ndcgAtK(ranked, judgements, k);
        metrics[`recall@${k}`] = recallAtK(ranked, judgements, k);
        metrics[`mrr@${k}`] = mrrAtK(ranked, judgements, k);
      }
      results[index] = { queryId, metrics, retrieved: ranked.length, latencyMs };
      options.onProgress?.({ done: ++done, total: judged.length });
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, judged.length) }, worker));

  const latencies = results.map((result) => result.latencyMs).sort((left, right) => left - right);
  return {
    metrics: meanMetrics(results.map((result) => result.metrics)),
    queries: results,
    skippedQueries: options.qrels.size - judged.length,
    timing: {
      totalMs: performance.now() - started,
      meanMs:
        latencies.length === 0 ? 0 : latencies.reduce((sum, value) => sum + value, 0) / latencies.length,
      p50Ms: percentile(latencies, 0.5),
      p95Ms: percentile(latencies, 0.95),
      maxMs: latencies.at(-1) ?? 0,
    },
  };
}

/** Nearest-rank percentile of ascending values (0 when empty). */
function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)]!;
}
