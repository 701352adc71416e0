/**
 * @module cli/commands/eval
 * `groundwork eval retrieval --dataset <dir>`: nDCG@10, Recall@10, Recall@100 and MRR@10 of the
 * product's own ingestion and retrieval on a BEIR-layout dataset.
 */
import type { Command } from 'commander';
import { createGroundwork } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { InvalidRequestError } from '../../errors.ts';
import { runRetrievalEval } from '../../evals/run-retrieval-eval.ts';
import type { RetrievalMode } from '../../spec/retrieval.ts';
import { printJson } from '../context.ts';
import { createProgressBar } from '../progress.ts';
import { registerEvalAnswersCommands } from './eval-answers.ts';

interface EvalOptions {
  dataset: string;
  mode: string;
  json?: boolean;
  dataDir?: string;
  embedder?: string;
  depth: string;
  queries?: string;
}

/** Registers the command. */
export function registerEvalCommand(program: Command): void {
  const evaluate = program.command('eval').description('evaluate retrieval and answer quality');
  registerEvalAnswersCommands(evaluate);
  evaluate
    .command('retrieval')
    .description('ingest a BEIR dataset (corpus.jsonl, queries.jsonl, qrels/test.tsv) and score retrieval')
    .requiredOption('--dataset <dir>', 'BEIR-layout dataset folder')
    .option('--mode <mode>', 'lexical | vector | hybrid', 'lexical')
    .option('--embedder <spec>', 'embedder for vector and hybrid modes (default: the configured one)')
    .option('--data-dir <dir>', 'keep the evaluation index here (default: in memory)')
    .option('--depth <n>', 'chunks retrieved per query before folding into documents', '300')
    .option('--queries <n>', 'evaluate only the first n judged queries')
    .option('--json', 'print the report as JSON')
    .action(async (options: EvalOptions) => {
      if (!['lexical', 'vector', 'hybrid'].includes(options.mode)) {
        throw new InvalidRequestError('invalid_mode', '--mode must be lexical, vector or hybrid.');
      }
      // Lexical search never reads vectors: embedding the corpus for it took SciFact 40 minutes on
      // two cores. An explicit --embedder still embeds (to keep the index for a later vector run).
      const embedder = options.embedder ?? (options.mode === 'lexical' ? 'none' : undefined);
      const config = loadConfig({
        dataDir: options.dataDir ?? 'memory://',
        ...(embedder ? { embedder } : {}),
      });
      const app = await createGroundwork(config);
      try {
        const ingestBar = options.json ? undefined : createProgressBar('index ');
        let queryBar: ReturnType<typeof createProgressBar> | undefined;
        const report = await runRetrievalEval(app, {
          dataset: options.dataset,
          mode: options.mode as RetrievalMode,
          tenantId: 'eval',
          chunkDepth: Number(options.depth),
          maxQueries: options.queries ? Number(options.queries) : undefined,
          onIngestProgress: (job) =>
            ingestBar?.update({ done: job.processed, total: job.total, counters: { chunks: job.chunks } }),
          onQueryProgress: (done, total) => {
            if (options.json) return;
            if (!queryBar) {
              ingestBar?.finish();
              queryBar = createProgressBar('query ');
            }
            queryBar.update({ done, total, rates: { queries: done } });
            if (done === total) queryBar.finish();
          },
        });
        if (options.json) {
          printJson({ ...report, evaluation: { ...report.evaluation, queries: undefined } });
          return;
        }
        const { metrics, timing, queries, skippedQueries } = report.evaluation;
        process.stdout.write(
          `\n${report.dataset} — ${report.mode}\n` +
            `  corpus   ${report.documents} documents, ${report.chunks} chunks (${report.vectors} embedded), indexed in ${report.ingestSeconds.toFixed(1)} s\n` +
            `  queries  ${queries.length} evaluated${skippedQueries ? `, ${skippedQueries} skipped (no relevant document)` : ''}\n` +
            `  nDCG@10    ${metrics['ndcg@10']?.toFixed(4)}\n` +
            `  Recall@10  ${metrics['recall@10']?.toFixed(4)}\n` +
            `  Recall@100 ${metrics['recall@100']?.toFixed(4)}\n` +
            `  MRR@10     ${metrics['mrr@10']?.toFixed(4)}\n` +
            `  latency  p50 ${timing.p50Ms.toFixed(1)} ms, p95 ${timing.p95Ms.toFixed(1)} ms\n`,
        );
      } finally {
        await app.close();
      }
    });
}
