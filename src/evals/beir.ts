/**
 * @module evals/beir
 * Reads retrieval datasets in the BEIR layout: `corpus.jsonl` (`_id`, `title`, `text`), `queries.jsonl`
 * (`_id`, `text`) and `qrels/<split>.tsv` (`query-id`, `corpus-id`, `score`, after a header line).
 * Files are streamed line by line; a bad line fails with `dataset_invalid` naming the file and line.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GroundworkError } from '../errors.ts';

/** One corpus document. */
export interface BeirDocument {
  readonly id: string;
  readonly title: string;
  readonly text: string;
}

/** Relevance judgements: query id → (document id → graded relevance; > 0 means relevant). */
export type Qrels = ReadonlyMap<string, ReadonlyMap<string, number>>;

/** A dataset with its queries and judgements loaded and its corpus ready to stream. */
export interface BeirDataset {
  readonly directory: string;
  /** Query id → query text (every query in the file, judged or not). */
  readonly queries: ReadonlyMap<string, string>;
  readonly qrels: Qrels;
  /** Streams the corpus; each call reads the file again. */
  corpus(): AsyncGenerator<BeirDocument>;
}

/**
 * Loads queries and the qrels of one split, and checks that every judged query has a text.
 *
 * @example
 * const dataset = await loadBeirDataset('/data/scifact');
 * for await (const document of dataset.corpus()) index.add(document.id, `${document.title} ${document.text}`);
 */
export async function loadBeirDataset(
  directory: string,
  options: { split?: string } = {},
): Promise<BeirDataset> {
  const split = options.split ?? 'test';
  await requireFile(path.join(directory, 'corpus.jsonl'));
  const queries = await loadBeirQueries(directory);
  const qrels = await loadBeirQrels(directory, split);
  for (const queryId of qrels.keys()) {
    if (!queries.has(queryId)) {
      throw invalid(
        path.join(directory, 'qrels', `${split}.tsv`),
        undefined,
        `query ${queryId} is judged but not in queries.jsonl`,
      );
    }
  }
  return { directory, queries, qrels, corpus: () => readBeirCorpus(directory) };
}

/** Streams `corpus.jsonl`; a missing `title` reads as the empty string. */
export async function* readBeirCorpus(directory: string): AsyncGenerator<BeirDocument> {
  const file = path.join(directory, 'corpus.jsonl');
  for await (const { line, record } of readJsonLines(file)) {
    yield {
      id: requireId(record, file, line),
      title: optionalString(record, 'title', file, line),
      text: requireString(record, 'text', file, line),
    };
  }
}

/** Loads `queries.jsonl` as id → text; duplicate ids are an error. */
export async function loadBeirQueries(directory: string): Promise<Map<string, string>> {
  const file = path.join(directory, 'queries.jsonl');
  const queries = new Map<string, string>();
  for await (const { line, record } of readJsonLines(file)) {
    const id = requireId(record, file, line);
    if (queries.has(id)) throw invalid(file, line, `duplicate query id ${id}`);
    queries.set(id, requireString(record, 'text', file, line));
  }
  return queries;
}

/** Loads `qrels/<split>.tsv`. The header line is recognised by its non-numeric third column. */
export async function loadBeirQrels(
  directory: string,
  split = 'test',
): Promise<Map<string, Map<string, number>>> {
  const file = path.join(directory, 'qrels', `${split}.tsv`);
  const qrels = new Map<string, Map<string, number>>();
  let first = true;
  for await (const { line, text } of readLines(file)) {
    const columns = text.split('\t');
    const isHeader = first && columns.length === 3 && !/^-?\d+$/.test(columns[2]!.trim());
    first = false;
    if (isHeader) continue;
    const [queryId, documentId, scoreText] = columns.map((column) => column.trim());
    if (columns.length !== 3 || !queryId || !documentId || !scoreText) {
      throw invalid(file, line, 'expected three tab-separated columns: query-id, corpus-id, score');
    }
    const score = Number(scoreText);
    if (!Number.isInteger(score)) throw invalid(file, line, `score must be an integer, got "${scoreText}"`);
    let judged = qrels.get(queryId);
    if (judged === undefined) {
      judged = new Map();
      qrels.set(queryId, judged);
    }
    if (judged.has(documentId))
      throw invalid(file, line, `duplicate judgement for ${queryId} / ${documentId}`);
    judged.set(documentId, score);
  }
  return qrels;
}

/**
 * Finds a dataset directory: an absolute path as is, a relative one against each base in turn (for
 * example the working directory, then the repository root). Throws `dataset_not_found` listing the tries.
 */
export async function resolveDatasetDirectory(input: string, bases: readonly string[]): Promise<string> {
  const candidates = path.isAbsolute(input)
    ? [input]
    : [...new Set(bases.map((base) => path.resolve(base, input)))];
  for (const candidate of candidates) {
    if ((await stat(candidate).catch(() => undefined))?.isDirectory()) return candidate;
  }
  throw new GroundworkError({
    code: 'dataset_not_found',
    kind: 'not-found',
    message: `dataset directory not found: ${input} (tried ${candidates.join(', ')})`,
    details: { input, tried: candidates },
  });
}

async function* readJsonLines(
  file: string,
): AsyncGenerator<{ line: number; record: Record<string, unknown> }> {
  for await (const { line, text } of readLines(file)) {
    let record: unknown;
    try {
      record = JSON.parse(text);
    } catch (error) {
      throw invalid(file, line, `not valid JSON (${(error as Error).message})`, error);
    }
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      throw invalid(file, line, 'expected a JSON object');
    }
    yield { line, record: record as Record<string, unknown> };
  }
}

/** Non-blank lines with their 1-based numbers. */
async function* readLines(file: string): AsyncGenerator<{ line: number; text: string }> {
  await requireFile(file);
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() !== '') yield { line, text };
  }
}

async function requireFile(file: string): Promise<void> {
  const found = await stat(file).catch(() => undefined);
  if (found?.isFile()) return;
  throw new GroundworkError({
    code: 'dataset_not_found',
    kind: 'not-found',
    message: `dataset file not found: ${file}`,
    details: { file },
  });
}

function requireId(record: Record<string, unknown>, file: string, line: number): string {
  const id = record._id;
  if (typeof id === 'number' && Number.isFinite(id)) return String(id);
  if (typeof id === 'string' && id !== '') return id;
  throw invalid(file, line, '"_id" must be a non-empty string');
}

function requireString(record: Record<string, unknown>, key: string, file: string, line: number): string {
  const value = record[key];
  if (typeof value !== 'string') throw invalid(file, line, `"${key}" must be a string`);
  return value;
}

function optionalString(record: Record<string, unknown>, key: string, file: string, line: number): string {
  return record[key] === undefined || record[key] === null ? '' : requireString(record, key, file, line);
}

function invalid(file: string, line: number | undefined, reason: string, cause?: unknown): GroundworkError {
  return new GroundworkError({
    code: 'dataset_invalid',
    message: `${file}${line === undefined ? '' : `:${line}`}: ${reason}`,
    details: { file, ...(line === undefined ? {} : { line }) },
    cause,
  });
}
