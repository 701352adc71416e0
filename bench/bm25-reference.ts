/**
 * @module bench/bm25-reference
 * Offline quality check of our BM25 (analyzer + formula) with the in-memory reference index, on
 * BEIR-layout datasets. Each document is indexed as title + " " + text, as Pyserini's "flat" BEIR
 * indexes are. Usage:
 *
 *   npx tsx bench/bm25-reference.ts [--dataset DIR]... [--variant NAME|all]... [--k1 0.9] [--b 0.4]
 *
 * Without --dataset it runs SciFact and the SQuAD v2 dev subset from ../shared/data. Relative dataset
 * paths are tried against the working directory, then the repository root.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { GroundworkError } from '../src/errors.ts';
import { loadBeirDataset, resolveDatasetDirectory } from '../src/evals/beir.ts';
import { evaluateRetrieval } from '../src/evals/retrieval-eval.ts';
import { VARIANTS } from './bm25-variants.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
const DEFAULT_DATASETS = ['../shared/data/scifact', '../shared/data/squad-v2-dev-subset'];

const { values } = parseArgs({
  options: {
    dataset: { type: 'string', multiple: true },
    variant: { type: 'string', multiple: true },
    split: { type: 'string', default: 'test' },
    k1: { type: 'string' },
    b: { type: 'string' },
  },
});

const variantNames = values.variant?.includes('all')
  ? Object.keys(VARIANTS)
  : (values.variant ?? ['default']);
const bm25 = {
  ...(values.k1 === undefined ? {} : { k1: Number(values.k1) }),
  ...(values.b === undefined ? {} : { b: Number(values.b) }),
};

try {
  for (const input of values.dataset ?? DEFAULT_DATASETS) await runDataset(input);
} catch (error) {
  // Dataset errors carry the file and line; a stack trace adds nothing for the person running this.
  console.error(GroundworkError.isInstance(error) ? `${error.code}: ${error.message}` : error);
  process.exitCode = 1;
}

async function runDataset(input: string): Promise<void> {
  const directory = await resolveDatasetDirectory(input, [process.cwd(), REPOSITORY_ROOT]);
  const dataset = await loadBeirDataset(directory, { split: values.split });
  for (const variant of variantNames) {
    const createIndex = VARIANTS[variant];
    if (createIndex === undefined) {
      throw new Error(`unknown variant ${variant}; known: ${Object.keys(VARIANTS).join(', ')}`);
    }
    const index = createIndex(bm25);
    const indexStart = performance.now();
    for await (const document of dataset.corpus()) {
      index.add(document.id, `${document.title} ${document.text}`);
    }
    const indexMs = performance.now() - indexStart;
    const report = await evaluateRetrieval({
      queries: dataset.queries,
      qrels: dataset.qrels,
      search: async (text, { limit }) => index.search(text, limit).map((hit) => hit.id),
    });
    const { metrics, timing } = report;
    const stats = index.stats();
    console.log(
      [
        `${path.basename(directory)} [${variant}] ${index.analyzer.name} k1=${index.parameters.k1} b=${index.parameters.b}`,
        `  docs=${stats.documentCount} avgdl=${stats.averageDocumentLength.toFixed(1)} queries=${report.queries.length} skipped=${report.skippedQueries} index=${indexMs.toFixed(0)}ms`,
        `  nDCG@10=${fmt(metrics['ndcg@10'])} R@10=${fmt(metrics['recall@10'])} R@100=${fmt(metrics['recall@100'])} MRR@10=${fmt(metrics['mrr@10'])}`,
        `  latency p50=${timing.p50Ms.toFixed(2)}ms p95=${timing.p95Ms.toFixed(2)}ms`,
      ].join('\n'),
    );
  }
}

function fmt(value: number | undefined): string {
  return (value ?? Number.NaN).toFixed(4);
}
