/**
 * @module cli/commands/eval-answers
 * `groundwork eval answers --dataset <dir>`: ingests a question set's passages into a scratch
 * database, answers every question through the real answer path, and scores the answers
 * (faithfulness, relevance, correctness, citations, abstention), optionally with an LLM judge and
 * against a stored baseline. `groundwork eval agreement --labels <file>`: how the scorers agree with
 * a hand-labelled set.
 */
import type { Command } from 'commander';
import { createGroundwork, type Groundwork } from '../../app.ts';
import { loadConfig } from '../../config/config.ts';
import { InvalidRequestError } from '../../errors.ts';
import { measureAgreement, readLabelledItems } from '../../evals/answers/agreement.ts';
import { compareWithBaseline, DEFAULT_TOLERANCE, readBaseline } from '../../evals/answers/baseline.ts';
import { DATASET_FORMATS, type DatasetFormat } from '../../evals/answers/datasets.ts';
import { createJudgeScorer, type JudgePrompt } from '../../evals/answers/judge.ts';
import { createLexicalScorer } from '../../evals/answers/lexical-scorer.ts';
import { type AnswerEvalReport, runAnswerEval } from '../../evals/answers/run-answer-eval.ts';
import { EVAL_JUDGE } from '../../prompts/builtin.ts';
import { createAnalyzer } from '../../retrieval/lexical/analyzer.ts';
import type { AnswerScorer } from '../../spec/scoring.ts';
import { printJson } from '../context.ts';
import { createProgressBar } from '../progress.ts';

interface AnswersOptions {
  dataset: string;
  format?: string;
  mode: string;
  llm?: string;
  embedder?: string;
  retrieval?: string;
  sample?: string;
  judge?: string;
  judgeTimeout: string;
  baseline?: string;
  tolerance: string;
  items?: boolean;
  json?: boolean;
  dataDir?: string;
}

const TENANT = 'eval';

/** Registers `eval answers` and `eval agreement` under `eval`. */
export function registerEvalAnswersCommands(evaluate: Command): void {
  evaluate
    .command('answers')
    .description('ingest a question set, answer every question and score the answers')
    .requiredOption(
      '--dataset <dir>',
      'question set folder (native, SQuAD, COVID-QA, Docugami 10-Q or MTRAG layout)',
    )
    .option('--format <format>', `force a layout: ${DATASET_FORMATS.join(' | ')}`)
    .option('--mode <mode>', 'extractive (no model) | model (the configured or --llm model)', 'extractive')
    .option('--llm <spec>', 'model that answers in model mode (default: the configured one)')
    .option('--embedder <spec>', 'embedder (default: the configured one; none = lexical retrieval)')
    .option('--retrieval <mode>', 'lexical | vector | hybrid (default: the best available)')
    .option('--sample <n>', 'evaluate n questions spread evenly over the set')
    .option('--judge <spec>', 'also grade with an LLM judge: "model" (the answering model) or provider:model')
    .option('--judge-timeout <ms>', 'per-answer deadline of the judge', '60000')
    .option('--baseline <file>', 'fail (exit 1) when a metric drops below this stored --json report')
    .option('--tolerance <x>', 'allowed drop per metric on the 0–1 scale', String(DEFAULT_TOLERANCE))
    .option('--items', 'print one line per question')
    .option('--json', 'print the report as JSON (per-question results included)')
    .option('--data-dir <dir>', 'keep the evaluation database here (default: in memory)')
    .action(async (options: AnswersOptions) => {
      if (!['extractive', 'model'].includes(options.mode)) {
        throw new InvalidRequestError('invalid_mode', '--mode must be extractive or model.');
      }
      if (options.format && !DATASET_FORMATS.includes(options.format as DatasetFormat)) {
        throw new InvalidRequestError(
          'invalid_format',
          `--format must be one of ${DATASET_FORMATS.join(', ')}.`,
        );
      }
      if (options.retrieval && !['lexical', 'vector', 'hybrid'].includes(options.retrieval)) {
        throw new InvalidRequestError('invalid_mode', '--retrieval must be lexical, vector or hybrid.');
      }
      const sample = options.sample === undefined ? undefined : Number(options.sample);
      if (sample !== undefined && !(Number.isInteger(sample) && sample >= 1)) {
        throw new InvalidRequestError('invalid_sample', '--sample must be a whole number ≥ 1.');
      }
      const tolerance = Number(options.tolerance);
      const baseline = options.baseline ? await readBaseline(options.baseline) : undefined;
      const config = loadConfig({
        dataDir: options.dataDir ?? 'memory://',
        ...(options.embedder ? { embedder: options.embedder } : {}),
        ...(options.mode === 'extractive'
          ? { llm: { model: 'none' } }
          : options.llm
            ? { llm: { model: options.llm } }
            : {}),
        // Every question must go through retrieval and generation, not be served from the cache.
        cache: { answers: { enabled: false } },
      });
      const app = await createGroundwork(config);
      let judgeApp: Groundwork | undefined;
      try {
        const scorers: AnswerScorer[] = [createLexicalScorer(createAnalyzer())];
        if (options.judge) {
          judgeApp = options.judge === 'model' ? undefined : await openJudgeApp(options.judge);
          const judgeModel = (judgeApp ?? app).languageModel;
          if (!judgeModel) {
            throw new InvalidRequestError(
              'judge_unavailable',
              'The judge needs a language model: --mode model, or --judge provider:model.',
            );
          }
          scorers.push(createJudgeScorer({ model: judgeModel, prompt: await judgePrompt(app) }));
        }
        const ingestBar = options.json ? undefined : createProgressBar('index ');
        let questionBar: ReturnType<typeof createProgressBar> | undefined;
        const report = await runAnswerEval(app, {
          dataset: options.dataset,
          ...(options.format ? { format: options.format as DatasetFormat } : {}),
          tenantId: TENANT,
          scorers,
          ...(sample ? { sample } : {}),
          ...(options.retrieval ? { retrievalMode: options.retrieval as 'lexical' } : {}),
          scorerTimeoutMs: Number(options.judgeTimeout),
          onIngestProgress: (job) =>
            ingestBar?.update({ done: job.processed, total: job.total, counters: { chunks: job.chunks } }),
          onProgress: (done, total) => {
            if (options.json) return;
            if (!questionBar) {
              ingestBar?.finish();
              questionBar = createProgressBar('answer ');
            }
            questionBar.update({ done, total, rates: { questions: done } });
            if (done === total) questionBar.finish();
          },
        });
        const comparison = baseline
          ? compareWithBaseline(report.aggregate, baseline, { tolerance })
          : undefined;
        if (options.json) printJson({ ...report, ...(comparison ? { baseline: comparison } : {}) });
        else process.stdout.write(formatReport(report, options.items === true));
        if (comparison) {
          const lines = comparison.regressions.map(
            (regression) =>
              `  ${regression.metric}: ${regression.baseline.toFixed(4)} → ${regression.current.toFixed(4)} (−${regression.drop.toFixed(4)})`,
          );
          process.stderr.write(
            comparison.regressions.length > 0
              ? `Regression beyond ±${comparison.tolerance} against ${options.baseline}:\n${lines.join('\n')}\n`
              : `No metric dropped more than ${comparison.tolerance} against ${options.baseline} (${comparison.compared.length} compared).\n`,
          );
          if (comparison.regressions.length > 0) process.exitCode = 1;
        }
      } finally {
        await judgeApp?.close();
        await app.close();
      }
    });

  evaluate
    .command('agreement')
    .description('agreement of the scorers with a hand-labelled set (JSON Lines of {sample, labels})')
    .requiredOption('--labels <file>', 'the labelled items')
    .option('--judge <spec>', 'also measure an LLM judge: provider:model')
    .option('--judge-timeout <ms>', 'per-item deadline of the judge', '60000')
    .option('--json', 'print the report as JSON')
    .action(async (options: { labels: string; judge?: string; judgeTimeout: string; json?: boolean }) => {
      const items = await readLabelledItems(options.labels);
      // The deterministic scorer's correctness is its token F1.
      const reports = [
        await measureAgreement(createLexicalScorer(createAnalyzer()), items, {
          metrics: { correctness: 'f1' },
        }),
      ];
      if (options.judge) {
        const judgeApp = await openJudgeApp(options.judge);
        try {
          const model = judgeApp.languageModel;
          if (!model)
            throw new InvalidRequestError('judge_unavailable', `No language model for ${options.judge}.`);
          const judge = createJudgeScorer({ model, prompt: await judgePrompt(judgeApp) });
          reports.push(await measureAgreement(judge, items, { timeoutMs: Number(options.judgeTimeout) }));
        } finally {
          await judgeApp.close();
        }
      }
      if (options.json) {
        printJson({ labels: options.labels, items: items.length, scorers: reports });
        return;
      }
      const lines = [`${options.labels}: ${items.length} labelled items`];
      for (const report of reports) {
        const errors = Object.entries(report.errors).map(([code, count]) => `${code} ×${count}`);
        lines.push(`  ${report.scorer}${errors.length > 0 ? ` (failed: ${errors.join(', ')})` : ''}`);
        for (const metric of report.metrics) {
          lines.push(
            `    ${metric.metric.padEnd(14)} agreement ${metric.agreement.toFixed(3)}  kappa ${metric.kappa.toFixed(3)}  n=${metric.n}`,
          );
        }
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}

/** A second, empty product whose only use is its language model (the judge's). */
async function openJudgeApp(spec: string): Promise<Groundwork> {
  return createGroundwork(loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: spec } }));
}

/** The judge prompt at the registry's `production` label. */
async function judgePrompt(app: Groundwork): Promise<JudgePrompt> {
  const row = await app.prompts.resolve(TENANT, EVAL_JUDGE);
  return { ref: { name: row.name, version: row.version }, template: row.template, variables: row.variables };
}

function formatReport(report: AnswerEvalReport, items: boolean): string {
  const lines = [
    '',
    `${report.dataset} (${report.format}) — ${report.model ?? 'extractive'}`,
    `  corpus     ${report.documents} documents, ${report.chunks} chunks, indexed in ${report.ingestSeconds.toFixed(1)} s`,
    `  questions  ${report.questions}: ${report.scored} scored, ${report.failed} with errors`,
    '',
    `  ${'metric'.padEnd(22)} ${'mean'.padStart(7)} ${'n'.padStart(6)}`,
  ];
  for (const [metric, summary] of Object.entries(report.aggregate)) {
    lines.push(
      `  ${metric.padEnd(22)} ${summary.mean.toFixed(4).padStart(7)} ${String(summary.n).padStart(6)}`,
    );
  }
  const categories = Object.entries(report.byCategory);
  if (categories.length > 1) {
    const shown = ['f1', 'faithfulness', 'correct_abstention', 'false_abstention'];
    lines.push('', `  ${'category'.padEnd(30)} ${shown.map((metric) => metric.padStart(18)).join(' ')}`);
    for (const [category, metrics] of categories) {
      const cells = shown.map((metric) => {
        const summary = metrics[metric];
        return (summary ? `${summary.mean.toFixed(3)} (${summary.n})` : '—').padStart(18);
      });
      lines.push(`  ${category.slice(0, 30).padEnd(30)} ${cells.join(' ')}`);
    }
  }
  const failures = new Map<string, number>();
  for (const item of report.items) {
    for (const error of item.errors)
      failures.set(`${error.stage}: ${error.code}`, (failures.get(`${error.stage}: ${error.code}`) ?? 0) + 1);
  }
  if (failures.size > 0) {
    lines.push('', '  errors (per question; the run went on):');
    for (const [key, count] of failures) lines.push(`    ${key} ×${count}`);
    for (const item of report.items.filter((item) => item.errors.length > 0).slice(0, 5)) {
      lines.push(`    e.g. ${item.id}: ${item.errors[0]!.message}`);
    }
  }
  if (items) {
    lines.push('', '  per question: id, f1, faithfulness, abstained, errors');
    for (const item of report.items) {
      const value = (metric: string) => {
        const found = item.metrics[metric];
        return found === null || found === undefined ? '—' : found.toFixed(2);
      };
      lines.push(
        `    ${item.id}  f1 ${value('f1')}  faithful ${value('faithfulness')}  abstained ${value('abstained')}${item.errors.length > 0 ? `  ${item.errors.map((error) => error.code).join(',')}` : ''}`,
      );
    }
  }
  return `${lines.join('\n')}\n`;
}
