/**
 * @module evals/answers/datasets
 * Question sets for `eval answers`, read into one shape whatever their layout. Adapters:
 *
 * - `native`: `corpus.jsonl` (`_id`, `title`, `text`) and `questions.jsonl` (`id`, `question`,
 *   optional `history` [{role, content}], `references` [string], `passages` [corpus ids], `answerable`).
 * - `squad-beir`: `corpus.jsonl` and `queries.jsonl` whose `metadata` holds `is_impossible`, `answers`
 *   and `gold_paragraph` (the shared SQuAD v2 subset).
 * - `squad-json`: one SQuAD-format JSON file (`data[].paragraphs[].context/qas`), each context one
 *   document (the COVID-QA snapshot: a context is a whole article).
 * - `docugami`: `docs/*.pdf` and `qna_data.csv` (`Question`, `Source Docs` glob, `Answer`).
 * - `mtrag`: `reference.jsonl` (conversations cut at a user turn, with their reference passages;
 *   the corpus is every task's passages, since the collections themselves are not shipped).
 *
 * A question with a missing field or an id that names no passage becomes an item with an error and a
 * reason; the others are evaluated. Only a dataset that cannot be read at all fails the load.
 */
import { createReadStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { GroundworkError } from '../../errors.ts';
import { readCsvRecords } from '../../ingest/parsers/record-readers.ts';
import type { ConversationTurn } from '../../spec/answer.ts';

/** Layouts `loadAnswerDataset` reads. */
export const DATASET_FORMATS = ['native', 'squad-beir', 'squad-json', 'docugami', 'mtrag'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

/** One question to ask. */
export interface AnswerEvalQuestion {
  readonly id: string;
  readonly question: string;
  readonly history?: readonly ConversationTurn[];
  /** Reference answers; any one is right. Empty when the dataset has none (or the question is unanswerable). */
  readonly references: readonly string[];
  /** Keys of the passages (records or files) that answer it, when known. */
  readonly expectedPassages?: readonly string[];
  /** False for questions the knowledge base does not answer; undefined when the dataset does not say. */
  readonly answerable?: boolean;
  /** A dataset label (question type, collection), reported per group. */
  readonly category?: string;
}

/** A question, or the reason a line of the dataset could not become one. */
export type DatasetEntry =
  | { readonly ok: true; readonly item: AnswerEvalQuestion }
  | { readonly ok: false; readonly id: string; readonly code: string; readonly reason: string };

/** What is ingested before asking. */
export type DatasetCorpus =
  | { readonly kind: 'records'; readonly file: string; readonly idField: string; readonly titleField: string }
  | { readonly kind: 'files'; readonly path: string };

/** A loaded dataset. */
export interface AnswerDataset {
  readonly directory: string;
  readonly format: DatasetFormat;
  readonly corpus: DatasetCorpus;
  readonly entries: readonly DatasetEntry[];
  /** The dataset key of a retrieved document (record id or file name). */
  keyOf(documentUri: string, originUri: string): string;
  /** Removes the files the adapter wrote (a corpus built from the questions' passages). */
  cleanup(): Promise<void>;
}

/** Options of {@link loadAnswerDataset}. */
export interface LoadOptions {
  /** Force a layout instead of recognising it from the files present. */
  readonly format?: DatasetFormat;
}

/**
 * Loads the dataset in `directory`, recognising its layout from the files present.
 *
 * @example
 * const dataset = await loadAnswerDataset('../shared/data/squad-v2-dev-subset');
 * dataset.entries.filter((entry) => !entry.ok); // the questions that could not be read, with reasons
 */
export async function loadAnswerDataset(
  directory: string,
  options: LoadOptions = {},
): Promise<AnswerDataset> {
  const files = await readdir(directory).catch(() => {
    throw new GroundworkError({
      code: 'dataset_not_found',
      kind: 'not-found',
      message: `dataset directory not found: ${directory}`,
      details: { directory },
    });
  });
  const format = options.format ?? recognise(files);
  if (!format) {
    throw invalid(
      directory,
      'unrecognised layout: expected questions.jsonl + corpus.jsonl, queries.jsonl + corpus.jsonl, a SQuAD-format .json, qna_data.csv + docs/, or reference.jsonl',
    );
  }
  switch (format) {
    case 'native':
      return loadNative(directory);
    case 'squad-beir':
      return loadSquadBeir(directory);
    case 'squad-json':
      return loadSquadJson(directory, files);
    case 'docugami':
      return loadDocugami(directory);
    case 'mtrag':
      return loadMtrag(directory);
  }
}

function recognise(files: readonly string[]): DatasetFormat | undefined {
  const has = (name: string) => files.includes(name);
  if (has('questions.jsonl') && has('corpus.jsonl')) return 'native';
  if (has('queries.jsonl') && has('corpus.jsonl')) return 'squad-beir';
  if (has('qna_data.csv') && has('docs')) return 'docugami';
  if (has('reference.jsonl')) return 'mtrag';
  if (files.some((file) => file.endsWith('.json'))) return 'squad-json';
  return undefined;
}

/** Record documents are stored as `<file>#<record id>`. */
function recordKey(documentUri: string, originUri: string): string {
  return documentUri.startsWith(`${originUri}#`) ? documentUri.slice(originUri.length + 1) : documentUri;
}

const noCleanup = async () => {};

async function loadNative(directory: string): Promise<AnswerDataset> {
  const corpusFile = path.join(directory, 'corpus.jsonl');
  const ids = await corpusIds(corpusFile);
  const entries: DatasetEntry[] = [];
  for await (const { line, record, error } of jsonLines(path.join(directory, 'questions.jsonl'))) {
    const id = idOf(record?.id, line);
    if (error || !record) {
      entries.push(failed(id, 'dataset_line_invalid', error ?? 'not a JSON object'));
      continue;
    }
    const question = record.question;
    if (typeof question !== 'string' || question.trim() === '') {
      entries.push(failed(id, 'dataset_field_missing', '"question" must be a non-empty string'));
      continue;
    }
    const history = parseHistory(record.history);
    if (history === null) {
      entries.push(
        failed(id, 'dataset_field_invalid', '"history" must be a list of {role: user|assistant, content}'),
      );
      continue;
    }
    const references = stringList(record.references);
    const passages = stringList(record.passages);
    if (references === null || passages === null) {
      entries.push(
        failed(id, 'dataset_field_invalid', '"references" and "passages" must be lists of strings'),
      );
      continue;
    }
    const unknown = passages.filter((passage) => !ids.has(passage));
    if (unknown.length > 0) {
      entries.push(
        failed(id, 'dataset_passage_unknown', `passages not in corpus.jsonl: ${unknown.join(', ')}`),
      );
      continue;
    }
    if (record.answerable !== undefined && typeof record.answerable !== 'boolean') {
      entries.push(failed(id, 'dataset_field_invalid', '"answerable" must be true or false'));
      continue;
    }
    entries.push({
      ok: true,
      item: {
        id,
        question,
        ...(history.length > 0 ? { history } : {}),
        references,
        ...(passages.length > 0 ? { expectedPassages: passages } : {}),
        ...(typeof record.answerable === 'boolean' ? { answerable: record.answerable } : {}),
        ...(typeof record.category === 'string' ? { category: record.category } : {}),
      },
    });
  }
  return {
    directory,
    format: 'native',
    corpus: { kind: 'records', file: corpusFile, idField: '_id', titleField: 'title' },
    entries: uniqueIds(entries),
    keyOf: recordKey,
    cleanup: noCleanup,
  };
}

async function loadSquadBeir(directory: string): Promise<AnswerDataset> {
  const corpusFile = path.join(directory, 'corpus.jsonl');
  const ids = await corpusIds(corpusFile);
  const entries: DatasetEntry[] = [];
  for await (const { line, record, error } of jsonLines(path.join(directory, 'queries.jsonl'))) {
    const id = idOf(record?._id, line);
    if (error || !record) {
      entries.push(failed(id, 'dataset_line_invalid', error ?? 'not a JSON object'));
      continue;
    }
    const metadata = record.metadata as Record<string, unknown> | undefined;
    const text = record.text;
    if (typeof text !== 'string' || text.trim() === '') {
      entries.push(failed(id, 'dataset_field_missing', '"text" must be a non-empty string'));
      continue;
    }
    if (typeof metadata !== 'object' || metadata === null || typeof metadata.is_impossible !== 'boolean') {
      entries.push(failed(id, 'dataset_field_missing', '"metadata.is_impossible" must be true or false'));
      continue;
    }
    const answers = stringList(metadata.answers);
    const gold = metadata.gold_paragraph;
    if (answers === null || typeof gold !== 'string') {
      entries.push(
        failed(
          id,
          'dataset_field_missing',
          '"metadata.answers" (strings) and "metadata.gold_paragraph" are required',
        ),
      );
      continue;
    }
    if (!ids.has(gold)) {
      entries.push(failed(id, 'dataset_passage_unknown', `gold paragraph ${gold} is not in corpus.jsonl`));
      continue;
    }
    const answerable = !metadata.is_impossible;
    if (answerable && answers.length === 0) {
      entries.push(failed(id, 'dataset_field_missing', 'an answerable question has no answers'));
      continue;
    }
    entries.push({
      ok: true,
      item: {
        id,
        question: text,
        references: answerable ? answers : [],
        ...(answerable ? { expectedPassages: [gold] } : {}),
        answerable,
        category: answerable ? 'answerable' : 'unanswerable',
      },
    });
  }
  return {
    directory,
    format: 'squad-beir',
    corpus: { kind: 'records', file: corpusFile, idField: '_id', titleField: 'title' },
    entries: uniqueIds(entries),
    keyOf: recordKey,
    cleanup: noCleanup,
  };
}

async function loadSquadJson(directory: string, files: readonly string[]): Promise<AnswerDataset> {
  const name = files.filter((file) => file.endsWith('.json')).sort()[0]!;
  const file = path.join(directory, name);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw invalid(file, `not valid JSON (${(error as Error).message})`);
  }
  const articles = (parsed as { data?: unknown }).data;
  if (!Array.isArray(articles)) throw invalid(file, 'expected a SQuAD-format object with a "data" list');
  const corpus: string[] = [];
  const entries: DatasetEntry[] = [];
  articles.forEach((article: Record<string, unknown>, a) => {
    const paragraphs = Array.isArray(article?.paragraphs) ? article.paragraphs : [];
    paragraphs.forEach((paragraph: Record<string, unknown>, p) => {
      const key = `${typeof article.title === 'string' && article.title ? article.title : `article${a}`}__p${p}`;
      const context = paragraph?.context;
      const qas = Array.isArray(paragraph?.qas) ? paragraph.qas : [];
      if (typeof context !== 'string' || context.trim() === '') {
        for (const qa of qas) {
          entries.push(failed(idOf(qa?.id, 0), 'dataset_field_missing', `paragraph ${key} has no context`));
        }
        return;
      }
      corpus.push(JSON.stringify({ _id: key, title: String(article.title ?? ''), text: context }));
      for (const qa of qas as Record<string, unknown>[]) {
        const id = idOf(qa?.id, entries.length + 1);
        if (typeof qa?.question !== 'string' || qa.question.trim() === '') {
          entries.push(failed(id, 'dataset_field_missing', '"question" must be a non-empty string'));
          continue;
        }
        const impossible = qa.is_impossible === true;
        const answers = Array.isArray(qa.answers)
          ? [...new Set(qa.answers.map((answer: { text?: unknown }) => answer?.text).filter(isText))]
          : [];
        if (!impossible && answers.length === 0) {
          entries.push(failed(id, 'dataset_field_missing', 'an answerable question has no answers'));
          continue;
        }
        entries.push({
          ok: true,
          item: {
            id,
            question: qa.question,
            references: impossible ? [] : answers,
            ...(impossible ? {} : { expectedPassages: [key] }),
            answerable: !impossible,
          },
        });
      }
    });
  });
  const scratch = await mkdtemp(path.join(tmpdir(), 'groundwork-eval-'));
  const corpusFile = path.join(scratch, 'corpus.jsonl');
  await writeFile(corpusFile, `${corpus.join('\n')}\n`);
  return {
    directory,
    format: 'squad-json',
    corpus: { kind: 'records', file: corpusFile, idField: '_id', titleField: 'title' },
    entries: uniqueIds(entries),
    keyOf: recordKey,
    cleanup: () => rm(scratch, { recursive: true, force: true }),
  };
}

async function loadDocugami(directory: string): Promise<AnswerDataset> {
  const docs = path.join(directory, 'docs');
  const pdfs = (await readdir(docs)).filter((file) => file.toLowerCase().endsWith('.pdf'));
  const { records } = readCsvRecords(await readFile(path.join(directory, 'qna_data.csv'), 'utf8'));
  const entries: DatasetEntry[] = records.map(({ fields, number }): DatasetEntry => {
    const id = `q${number}`;
    const question = fields.Question;
    const answer = fields.Answer;
    const glob = fields['Source Docs'];
    if (typeof question !== 'string' || question === '') {
      return failed(id, 'dataset_field_missing', '"Question" is empty');
    }
    if (typeof answer !== 'string' || answer === '')
      return failed(id, 'dataset_field_missing', '"Answer" is empty');
    const expected = typeof glob === 'string' && glob ? pdfs.filter((file) => globMatch(glob, file)) : [];
    if (typeof glob === 'string' && glob && expected.length === 0) {
      return failed(id, 'dataset_passage_unknown', `no PDF matches the source glob ${glob}`);
    }
    return {
      ok: true,
      item: {
        id,
        question,
        // The reviewed answers name their source files; those names are not part of the answer.
        references: [answer.replace(/\(SOURCE:[^)]*\)/g, ' ').trim()],
        ...(expected.length > 0 ? { expectedPassages: expected } : {}),
        answerable: true,
        ...(typeof fields['Question Type'] === 'string' ? { category: fields['Question Type'] } : {}),
      },
    };
  });
  return {
    directory,
    format: 'docugami',
    corpus: { kind: 'files', path: docs },
    entries: uniqueIds(entries),
    keyOf: (_documentUri, originUri) => path.basename(originUri),
    cleanup: noCleanup,
  };
}

async function loadMtrag(directory: string): Promise<AnswerDataset> {
  const corpus = new Map<string, string>();
  const entries: DatasetEntry[] = [];
  for await (const { line, record, error } of jsonLines(path.join(directory, 'reference.jsonl'))) {
    const id = idOf(record?.task_id, line);
    if (error || !record) {
      entries.push(failed(id, 'dataset_line_invalid', error ?? 'not a JSON object'));
      continue;
    }
    const input = Array.isArray(record.input) ? (record.input as Record<string, unknown>[]) : undefined;
    const last = input?.at(-1);
    if (
      !input ||
      !last ||
      last.speaker !== 'user' ||
      typeof last.text !== 'string' ||
      last.text.trim() === ''
    ) {
      entries.push(failed(id, 'dataset_field_missing', '"input" must end with a user turn that has text'));
      continue;
    }
    const history: ConversationTurn[] = [];
    for (const turn of input.slice(0, -1)) {
      if (typeof turn?.text !== 'string') continue;
      history.push({ role: turn.speaker === 'user' ? 'user' : 'assistant', content: turn.text });
    }
    const contexts = Array.isArray(record.contexts) ? (record.contexts as Record<string, unknown>[]) : [];
    const expected: string[] = [];
    for (const context of contexts) {
      if (typeof context?.document_id !== 'string' || typeof context.text !== 'string') continue;
      corpus.set(context.document_id, context.text);
      expected.push(context.document_id);
    }
    const targets = Array.isArray(record.targets) ? (record.targets as Record<string, unknown>[]) : [];
    const references = targets.map((target) => target?.text).filter(isText);
    // A list in the published file (["ANSWERABLE"]), a string in older copies.
    const answerability = Array.isArray(record.answerability)
      ? record.answerability[0]
      : record.answerability;
    // UNDERSPECIFIED turns call for a clarifying question: neither an answer nor an abstention.
    const answerable =
      answerability === 'UNANSWERABLE'
        ? false
        : answerability === 'ANSWERABLE' || answerability === 'PARTIAL'
          ? true
          : undefined;
    entries.push({
      ok: true,
      item: {
        id,
        question: last.text,
        ...(history.length > 0 ? { history } : {}),
        references: answerable === false ? [] : references,
        ...(answerable !== false && expected.length > 0 ? { expectedPassages: expected } : {}),
        ...(answerable === undefined ? {} : { answerable }),
        category: `${String(record.Collection ?? 'unknown')}/${String(answerability ?? 'unknown')}`,
      },
    });
  }
  const scratch = await mkdtemp(path.join(tmpdir(), 'groundwork-eval-'));
  const corpusFile = path.join(scratch, 'corpus.jsonl');
  const lines = [...corpus].map(([id, text]) => JSON.stringify({ _id: id, title: '', text }));
  await writeFile(corpusFile, `${lines.join('\n')}\n`);
  return {
    directory,
    format: 'mtrag',
    corpus: { kind: 'records', file: corpusFile, idField: '_id', titleField: 'title' },
    entries: uniqueIds(entries),
    keyOf: recordKey,
    cleanup: () => rm(scratch, { recursive: true, force: true }),
  };
}

/** `*2023 Q3 AAPL*`-style globs: `*` any run of characters, `?` one; case-insensitive. */
export function globMatch(glob: string, name: string): boolean {
  const pattern = glob
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${pattern}$`, 'i').test(name);
}

async function corpusIds(file: string): Promise<Set<string>> {
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) {
    throw new GroundworkError({
      code: 'dataset_not_found',
      kind: 'not-found',
      message: `dataset file not found: ${file}`,
      details: { file },
    });
  }
  const ids = new Set<string>();
  for await (const { record } of jsonLines(file)) {
    const id = record?._id;
    if (typeof id === 'string' || typeof id === 'number') ids.add(String(id));
  }
  return ids;
}

async function* jsonLines(
  file: string,
): AsyncGenerator<{ line: number; record?: Record<string, unknown>; error?: string }> {
  const found = await stat(file).catch(() => undefined);
  if (!found?.isFile()) {
    throw new GroundworkError({
      code: 'dataset_not_found',
      kind: 'not-found',
      message: `dataset file not found: ${file}`,
      details: { file },
    });
  }
  const lines = createInterface({ input: createReadStream(file, { encoding: 'utf8' }), crlfDelay: Infinity });
  let line = 0;
  for await (const text of lines) {
    line++;
    if (text.trim() === '') continue;
    try {
      const record: unknown = JSON.parse(text);
      if (typeof record !== 'object' || record === null || Array.isArray(record)) {
        yield { line, error: `line ${line}: expected a JSON object` };
      } else yield { line, record: record as Record<string, unknown> };
    } catch (error) {
      yield { line, error: `line ${line}: not valid JSON (${(error as Error).message})` };
    }
  }
}

function parseHistory(value: unknown): ConversationTurn[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) return null;
  const turns: ConversationTurn[] = [];
  for (const turn of value) {
    if ((turn?.role !== 'user' && turn?.role !== 'assistant') || typeof turn.content !== 'string')
      return null;
    turns.push({ role: turn.role, content: turn.content });
  }
  return turns;
}

function stringList(value: unknown): string[] | null {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value) || !value.every(isText)) return null;
  return value;
}

function isText(value: unknown): value is string {
  return typeof value === 'string' && value.trim() !== '';
}

function idOf(value: unknown, line: number): string {
  if (typeof value === 'string' && value !== '') return value;
  if (typeof value === 'number') return String(value);
  return `line-${line}`;
}

function failed(id: string, code: string, reason: string): DatasetEntry {
  return { ok: false, id, code, reason };
}

/** A repeated id is an error on its later occurrences, so per-question results stay addressable. */
function uniqueIds(entries: DatasetEntry[]): DatasetEntry[] {
  const seen = new Set<string>();
  return entries.map((entry) => {
    const id = entry.ok ? entry.item.id : entry.id;
    if (!seen.has(id)) {
      seen.add(id);
      return entry;
    }
    return failed(id, 'dataset_id_duplicate', `the id ${id} is used by an earlier question`);
  });
}

function invalid(where: string, reason: string): GroundworkError {
  return new GroundworkError({ code: 'dataset_invalid', message: `${where}: ${reason}`, details: { where } });
}
