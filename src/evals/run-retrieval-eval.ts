/**
 * @module evals/run-retrieval-eval
 * Evaluates the product's own retrieval on a BEIR-layout dataset: the corpus goes through the real
 * ingestion pipeline (as a JSON Lines record file: one document per line), queries through the real
 * retriever, and chunk hits are folded into document rankings (max score per document).
 */
import path from 'node:path';
import type { Groundwork } from '../app.ts';
import { GroundworkError } from '../errors.ts';
import type { RetrievalMode } from '../spec/retrieval.ts';
import type { JobRow } from '../store/jobs.ts';
import { loadBeirDataset } from './beir.ts';
import { rankDocumentsFromChunks } from './rank-documents-from-chunks.ts';
import { evaluateRetrieval, type RetrievalEvaluation } from './retrieval-eval.ts';

/** Options of a run. */
export interface RetrievalEvalOptions {
  readonly dataset: string;
  readonly mode: RetrievalMode;
  readonly tenantId: string;
  /** Chunks fetched per query before folding into documents. */
  readonly chunkDepth?: number;
  readonly maxQueries?: number;
  readonly onIngestProgress?: (job: JobRow) => void;
  readonly onQueryProgress?: (done: number, total: number) => void;
}

/** The report of a run. */
export interface RetrievalEvalReport {
  readonly dataset: string;
  readonly mode: RetrievalMode;
  readonly documents: number;
  readonly chunks: number;
  /** Chunk vectors stored: 0 when the run did not embed (lexical mode). */
  readonly vectors: number;
  readonly ingestSeconds: number;
  readonly evaluation: RetrievalEvaluation;
}

/** Ingests the dataset's corpus and evaluates retrieval on its test queries. */
export async function runRetrievalEval(
  app: Groundwork,
  options: RetrievalEvalOptions,
): Promise<RetrievalEvalReport> {
  const dataset = await loadBeirDataset(options.dataset);
  const corpusFile = path.join(dataset.directory, 'corpus.jsonl');
  const ingestStarted = performance.now();
  const submitted = await app.ingestion.submit(
    options.tenantId,
    {
      sources: [{ kind: 'path', path: corpusFile }],
      records: { idField: '_id', titleField: 'title', textFields: ['text'] },
    },
    { trusted: true },
  );
  const listener = (job: JobRow) => job.id === submitted.id && options.onIngestProgress?.(job);
  app.ingestion.events.on('job-progress', listener);
  await app.ingestion.drain().finally(() => app.ingestion.events.off('job-progress', listener));
  const job = await app.ingestion.getJob(options.tenantId, submitted.id);
  if (job?.failed) {
    const [item] = await app.ingestion.listItems(submitted.id, 'failed');
    throw new GroundworkError({
      code: 'dataset_ingest_failed',
      message: `Could not ingest ${corpusFile}: ${item?.reason ?? job.error ?? 'unknown error'}`,
    });
  }
  const ingestSeconds = (performance.now() - ingestStarted) / 1000;
  const { rows } = await app.db.query<{ documents: number; chunks: number; vectors: number }>(
    `SELECT count(DISTINCT document_id)::int AS documents, count(*)::int AS chunks,
            (SELECT count(*)::int FROM chunk_vectors WHERE tenant_id = $1) AS vectors
     FROM chunks WHERE tenant_id = $1`,
    [options.tenantId],
  );
  // An engine that holds a copy of the store (the memory index, a search engine) is brought up to
  // date first, so the queries measure it rather than its fallback.
  await app.retriever.lexical.warm?.(options.tenantId);
  const judged = [...dataset.qrels.keys()].slice(0, options.maxQueries ?? Number.POSITIVE_INFINITY);
  const qrels = new Map([...dataset.qrels].filter(([id]) => judged.includes(id)));
  const evaluation = await evaluateRetrieval({
    queries: dataset.queries,
    qrels,
    ks: [10, 100],
    onProgress: ({ done, total }) => options.onQueryProgress?.(done, total),
    search: async (text, context) => {
      const result = await app.retriever.search({
        tenantId: options.tenantId,
        text,
        mode: options.mode,
        limit: Math.max(options.chunkDepth ?? 300, context.limit),
      });
      return rankDocumentsFromChunks(
        result.chunks.map((chunk) => ({
          // Record documents are stored as <file>#<record id>.
          documentKey: chunk.documentUri.slice(chunk.originUri.length + 1),
          score: chunk.scores.fused,
        })),
        context.limit,
      );
    },
  });
  return {
    dataset: dataset.directory,
    mode: options.mode,
    documents: rows[0]?.documents ?? 0,
    chunks: rows[0]?.chunks ?? 0,
    vectors: rows[0]?.vectors ?? 0,
    ingestSeconds,
    evaluation,
  };
}
