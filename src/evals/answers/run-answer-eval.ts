/**
 * @module evals/answers/run-answer-eval
 * Evaluates the product's answers on a question set: the dataset's passages go through the real
 * ingestion pipeline into the app's (scratch) database, every question through the real answerer
 * (`app.answerer`: condensation, retrieval, context assembly, guardrails, generation or extraction,
 * citations), and every answer through the scorers. A question that cannot be read, answered or
 * scored is reported with its reason and the run goes on.
 */
import type { Groundwork } from '../../app.ts';
import { GroundworkError } from '../../errors.ts';
import type { AskResult } from '../../spec/answer.ts';
import type { RetrievalMode } from '../../spec/retrieval.ts';
import type { AnswerScorer, ScoredPassage, ScoringSample } from '../../spec/scoring.ts';
import type { JobRow } from '../../store/jobs.ts';
import {
  type AnswerDataset,
  type AnswerEvalQuestion,
  type DatasetFormat,
  loadAnswerDataset,
} from './datasets.ts';
import { isAbstention } from './text.ts';

/** Options of a run. */
export interface AnswerEvalOptions {
  readonly dataset: string;
  readonly format?: DatasetFormat;
  readonly tenantId: string;
  readonly scorers: readonly AnswerScorer[];
  /** Evaluate this many questions, spread evenly over the set (deterministic); all when absent. */
  readonly sample?: number;
  readonly retrievalMode?: RetrievalMode;
  /** Milliseconds one scorer may take on one answer (default 60 s); beyond it, `scorer_timeout`. */
  readonly scorerTimeoutMs?: number;
  readonly onIngestProgress?: (job: JobRow) => void;
  readonly onProgress?: (done: number, total: number) => void;
}

/** Why a question has no (or only some) scores. */
export interface ItemError {
  /** `dataset`, `answer`, or the name of the scorer that failed. */
  readonly stage: string;
  readonly code: string;
  readonly message: string;
}

/** One question's outcome. */
export interface ItemResult {
  readonly id: string;
  readonly question?: string;
  readonly category?: string;
  readonly answerable?: boolean;
  readonly answer?: string;
  readonly mode?: AskResult['mode'];
  /** Dataset keys of the cited passages, in citation order. */
  readonly cited?: readonly string[];
  readonly metrics: Record<string, number | null>;
  readonly reasons: Record<string, string>;
  readonly errors: readonly ItemError[];
}

/** Mean of a metric over the questions where it applies. */
export interface MetricSummary {
  readonly mean: number;
  readonly n: number;
}

/** The report of a run. */
export interface AnswerEvalReport {
  readonly dataset: string;
  readonly format: DatasetFormat;
  /** `provider:model` that wrote answers, or null (extractive). */
  readonly model: string | null;
  readonly documents: number;
  readonly chunks: number;
  readonly ingestSeconds: number;
  readonly questions: number;
  /** Questions with an answer and every scorer's values. */
  readonly scored: number;
  /** Questions with at least one error. */
  readonly failed: number;
  readonly aggregate: Record<string, MetricSummary>;
  readonly byCategory: Record<string, Record<string, MetricSummary>>;
  readonly items: readonly ItemResult[];
}

/** Loads, ingests, asks and scores; see the module comment. */
export async function runAnswerEval(app: Groundwork, options: AnswerEvalOptions): Promise<AnswerEvalReport> {
  const dataset = await loadAnswerDataset(options.dataset, { format: options.format });
  try {
    const ingestStarted = performance.now();
    await ingest(app, dataset, options);
    const ingestSeconds = (performance.now() - ingestStarted) / 1000;
    const counts = await app.documents.counts(options.tenantId);
    const entries = sampleEvenly(dataset.entries, options.sample);
    const items: ItemResult[] = [];
    const passages = new PassageReader(app, options.tenantId, dataset);
    for (const entry of entries) {
      items.push(
        entry.ok
          ? await evaluateOne(app, entry.item, passages, options)
          : {
              id: entry.id,
              metrics: {},
              reasons: {},
              errors: [{ stage: 'dataset', code: entry.code, message: entry.reason }],
            },
      );
      options.onProgress?.(items.length, entries.length);
    }
    return {
      dataset: dataset.directory,
      format: dataset.format,
      model: app.languageModelName,
      documents: counts.documents,
      chunks: counts.chunks,
      ingestSeconds,
      questions: items.length,
      scored: items.filter((item) => item.errors.length === 0).length,
      failed: items.filter((item) => item.errors.length > 0).length,
      aggregate: summarize(items),
      byCategory: byCategory(items),
      items,
    };
  } finally {
    await dataset.cleanup();
  }
}

async function ingest(app: Groundwork, dataset: AnswerDataset, options: AnswerEvalOptions): Promise<void> {
  const { corpus } = dataset;
  const submitted = await app.ingestion.submit(
    options.tenantId,
    corpus.kind === 'records'
      ? {
          sources: [{ kind: 'path', path: corpus.file }],
          records: { idField: corpus.idField, titleField: corpus.titleField, textFields: ['text'] },
        }
      : { sources: [{ kind: 'path', path: corpus.path }] },
    { trusted: true },
  );
  const listener = (job: JobRow) => job.id === submitted.id && options.onIngestProgress?.(job);
  app.ingestion.events.on('job-progress', listener);
  await app.ingestion.drain().finally(() => app.ingestion.events.off('job-progress', listener));
  const job = await app.ingestion.getJob(options.tenantId, submitted.id);
  const stored = await app.documents.counts(options.tenantId);
  if (job?.failed && stored.documents === 0) {
    const [item] = await app.ingestion.listItems(submitted.id, 'failed');
    throw new GroundworkError({
      code: 'dataset_ingest_failed',
      message: `Could not ingest the corpus of ${dataset.directory}: ${item?.reason ?? job.error ?? 'unknown error'}`,
    });
  }
}

async function evaluateOne(
  app: Groundwork,
  item: AnswerEvalQuestion,
  passages: PassageReader,
  options: AnswerEvalOptions,
): Promise<ItemResult> {
  const base = {
    id: item.id,
    question: item.question,
    ...(item.category ? { category: item.category } : {}),
    ...(item.answerable === undefined ? {} : { answerable: item.answerable }),
  };
  let result: AskResult;
  try {
    result = await app.answerer.ask({
      tenantId: options.tenantId,
      question: item.question,
      ...(item.history ? { history: item.history } : {}),
      ...(options.retrievalMode ? { retrievalMode: options.retrievalMode } : {}),
    });
  } catch (error) {
    return { ...base, metrics: {}, reasons: {}, errors: [errorOf('answer', error, 'answer_failed')] };
  }
  const cited: ScoredPassage[] = [];
  for (const citation of result.citations) {
    const passage = await passages.read(citation.documentId, citation.chunkId, citation.source);
    // A passage deleted since it was cited is scored without its text (nothing supports the claim).
    cited.push({ n: citation.n, text: passage?.text ?? '', ...(passage ? { key: passage.key } : {}) });
  }
  const sample: ScoringSample = {
    id: item.id,
    question: item.question,
    ...(item.history ? { history: item.history } : {}),
    answer: result.answer,
    abstained: result.citations.length === 0 || isAbstention(result.answer),
    cited,
    references: item.references,
    ...(item.expectedPassages ? { expectedPassages: item.expectedPassages } : {}),
    ...(item.answerable === undefined ? {} : { answerable: item.answerable }),
  };
  const metrics: Record<string, number | null> = {};
  const reasons: Record<string, string> = {};
  const errors: ItemError[] = [];
  for (const scorer of options.scorers) {
    try {
      const outcome = await scoreWithTimeout(scorer, sample, options.scorerTimeoutMs ?? 60_000);
      for (const [metric, value] of Object.entries(outcome.metrics))
        metrics[metricKey(scorer, metric)] = value;
      if (outcome.reason) reasons[scorer.name] = outcome.reason;
    } catch (error) {
      errors.push(errorOf(scorer.name, error, 'scorer_failed'));
    }
  }
  return {
    ...base,
    answer: result.answer,
    mode: result.mode,
    cited: cited.map((passage) => passage.key ?? '?'),
    metrics,
    reasons,
    errors,
  };
}

/** Report key of a scorer's metric: the deterministic scorer's unprefixed, others `name.metric`. */
export function metricKey(scorer: Pick<AnswerScorer, 'name'>, metric: string): string {
  return scorer.name === 'lexical' ? metric : `${scorer.name}.${metric}`;
}

/** Runs a scorer with a deadline; a scorer that overruns is `scorer_timeout` (its call is aborted). */
export async function scoreWithTimeout(scorer: AnswerScorer, sample: ScoringSample, timeoutMs: number) {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new GroundworkError({
        code: 'scorer_timeout',
        kind: 'timeout',
        message: `The ${scorer.name} scorer took longer than ${timeoutMs} ms.`,
      });
      controller.abort(error);
      reject(error);
    }, timeoutMs);
  });
  try {
    return await Promise.race([scorer.score(sample, { signal: controller.signal }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The stored text and dataset key of cited chunks, reading each document once. */
class PassageReader {
  private readonly documents = new Map<
    number,
    Promise<{ uri: string; chunks: Map<number, string> } | undefined>
  >();

  constructor(
    private readonly app: Groundwork,
    private readonly tenantId: string,
    private readonly dataset: AnswerDataset,
  ) {}

  async read(
    documentId: number,
    chunkId: number,
    origin: string,
  ): Promise<{ text: string; key: string } | undefined> {
    let document = this.documents.get(documentId);
    if (!document) {
      document = this.app.documents.get(this.tenantId, documentId).then((found) =>
        found
          ? {
              uri: found.document.uri,
              chunks: new Map(found.chunks.map((chunk) => [chunk.id, chunk.text])),
            }
          : undefined,
      );
      this.documents.set(documentId, document);
    }
    const found = await document;
    const text = found?.chunks.get(chunkId);
    if (!found || text === undefined) return undefined;
    return { text, key: this.dataset.keyOf(found.uri, origin) };
  }
}

/** `count` entries spread evenly over the list, first included; all of them when `count` is absent. */
export function sampleEvenly<T>(entries: readonly T[], count?: number): readonly T[] {
  if (count === undefined || count >= entries.length) return entries;
  if (!Number.isInteger(count) || count < 1) {
    throw new GroundworkError({ code: 'invalid_sample', message: '--sample must be a whole number ≥ 1.' });
  }
  return Array.from({ length: count }, (_, index) => entries[Math.floor((index * entries.length) / count)]!);
}

/** Means of every metric over the questions where it is not null. */
export function summarize(items: readonly Pick<ItemResult, 'metrics'>[]): Record<string, MetricSummary> {
  const sums = new Map<string, { total: number; n: number }>();
  for (const item of items) {
    for (const [metric, value] of Object.entries(item.metrics)) {
      if (value === null || !Number.isFinite(value)) continue;
      const sum = sums.get(metric) ?? { total: 0, n: 0 };
      sum.total += value;
      sum.n++;
      sums.set(metric, sum);
    }
  }
  return Object.fromEntries([...sums].map(([metric, { total, n }]) => [metric, { mean: total / n, n }]));
}

function byCategory(items: readonly ItemResult[]): Record<string, Record<string, MetricSummary>> {
  const groups = new Map<string, ItemResult[]>();
  for (const item of items) {
    if (!item.category) continue;
    groups.set(item.category, [...(groups.get(item.category) ?? []), item]);
  }
  return Object.fromEntries([...groups].sort().map(([category, group]) => [category, summarize(group)]));
}

function errorOf(stage: string, error: unknown, fallback: string): ItemError {
  if (GroundworkError.isInstance(error)) return { stage, code: error.code, message: error.message };
  return { stage, code: fallback, message: error instanceof Error ? error.message : String(error) };
}
