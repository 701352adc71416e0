import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import {
  loadBeirDataset,
  loadBeirQrels,
  loadBeirQueries,
  readBeirCorpus,
  resolveDatasetDirectory,
} from './beir.ts';

let directory: string;

async function write(files: Record<string, string>): Promise<void> {
  for (const [name, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(directory, name)), { recursive: true });
    await writeFile(path.join(directory, name), content);
  }
}

async function failure(promise: Promise<unknown>): Promise<GroundworkError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!GroundworkError.isInstance(error)) throw new Error(`expected a GroundworkError, got ${String(error)}`);
  return error;
}

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const item of items) all.push(item);
  return all;
}

const VALID = {
  'corpus.jsonl': '{"_id": "d1", "title": "T", "text": "one"}\n\n{"_id": 2, "text": "two", "metadata": {}}\n',
  'queries.jsonl': '{"_id": "q1", "text": "first?"}\r\n{"_id": "q2", "text": "second?"}\r\n',
  'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\t2\t0\nq2\t2\t2\n',
};

beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), 'beir-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('BEIR loader', () => {
  it('loads queries and qrels and streams the corpus', async () => {
    await write(VALID);
    const dataset = await loadBeirDataset(directory);
    expect([...dataset.queries]).toEqual([
      ['q1', 'first?'],
      ['q2', 'second?'],
    ]);
    expect(dataset.qrels.get('q1')).toEqual(
      new Map([
        ['d1', 1],
        ['2', 0],
      ]),
    );
    expect(await collect(dataset.corpus())).toEqual([
      { id: 'd1', title: 'T', text: 'one' },
      { id: '2', title: '', text: 'two' },
    ]);
  });

  it('accepts qrels without a header line and other splits', async () => {
    await write({ 'qrels/dev.tsv': 'q1\td1\t1\n' });
    expect((await loadBeirQrels(directory, 'dev')).get('q1')?.get('d1')).toBe(1);
  });

  it('reports a missing file as dataset_not_found', async () => {
    await write({ 'queries.jsonl': VALID['queries.jsonl'] });
    const error = await failure(loadBeirDataset(directory));
    expect(error.code).toBe('dataset_not_found');
    expect(error.details.file).toBe(path.join(directory, 'corpus.jsonl'));
  });

  it('names the file and line of invalid JSON', async () => {
    await write({ 'queries.jsonl': '{"_id": "q1", "text": "ok"}\n{"_id": "q2", "text": \n' });
    const error = await failure(loadBeirQueries(directory));
    expect(error.code).toBe('dataset_invalid');
    expect(error.details).toEqual({ file: path.join(directory, 'queries.jsonl'), line: 2 });
    expect(error.message).toMatch(/queries\.jsonl:2: not valid JSON/);
  });

  it('rejects records without the required fields', async () => {
    await write({ 'corpus.jsonl': '{"_id": "d1", "title": 3, "text": "x"}\n' });
    expect((await failure(collect(readBeirCorpus(directory)))).message).toMatch(
      /:1: "title" must be a string/,
    );
    await write({ 'corpus.jsonl': '["d1"]\n' });
    expect((await failure(collect(readBeirCorpus(directory)))).message).toMatch(/expected a JSON object/);
    await write({ 'queries.jsonl': '{"text": "no id"}\n' });
    expect((await failure(loadBeirQueries(directory))).message).toMatch(/"_id" must be a non-empty string/);
  });

  it('rejects duplicate queries and judgements, and bad qrels rows', async () => {
    await write({ 'queries.jsonl': '{"_id": "q1", "text": "a"}\n{"_id": "q1", "text": "b"}\n' });
    expect((await failure(loadBeirQueries(directory))).message).toMatch(/:2: duplicate query id q1/);
    await write({ 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td1\t1\n' });
    expect((await failure(loadBeirQrels(directory))).message).toMatch(/test\.tsv:3: duplicate judgement/);
    await write({ 'qrels/test.tsv': 'query-id\tcorpus-id\tscore\nq1 d1 1\n' });
    expect((await failure(loadBeirQrels(directory))).message).toMatch(/:2: expected three tab-separated/);
    await write({ 'qrels/test.tsv': 'q1\td1\t1\nq1\td2\thigh\n' });
    expect((await failure(loadBeirQrels(directory))).message).toMatch(/:2: score must be an integer/);
  });

  it('rejects judged queries that have no text', async () => {
    await write({ ...VALID, 'qrels/test.tsv': 'q9\td1\t1\n' });
    expect((await failure(loadBeirDataset(directory))).message).toMatch(/query q9 is judged but not in/);
  });

  it('resolves relative dataset paths against each base in turn', async () => {
    await write({ 'data/set/corpus.jsonl': '' });
    const elsewhere = path.join(directory, 'elsewhere');
    expect(await resolveDatasetDirectory('data/set', [elsewhere, directory])).toBe(
      path.join(directory, 'data/set'),
    );
    expect(await resolveDatasetDirectory(path.join(directory, 'data'), [])).toBe(
      path.join(directory, 'data'),
    );
    const error = await failure(resolveDatasetDirectory('missing', [elsewhere, directory]));
    expect(error.code).toBe('dataset_not_found');
    expect(error.details.tried).toEqual([path.join(elsewhere, 'missing'), path.join(directory, 'missing')]);
  });
});
