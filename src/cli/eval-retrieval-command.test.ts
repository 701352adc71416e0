import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/groundwork');
const run = promisify(execFile);
// Compiling the sources with tsx and booting an in-memory database take a while on a busy machine.
const TIMEOUT_MS = 240_000;

let dataset: string;
beforeAll(async () => {
  dataset = await mkdtemp(path.join(os.tmpdir(), 'gw-beir-'));
  const corpus = [
    { _id: 'd1', title: 'Routers', text: 'A mesh router extends wireless coverage across a large house.' },
    {
      _id: 'd2',
      title: 'Thermostats',
      text: 'A smart thermostat learns the heating schedule of a household.',
    },
    { _id: 'd3', title: 'Cameras', text: 'An outdoor camera records motion at night with infrared light.' },
  ];
  const queries = [
    { _id: 'q1', text: 'wireless coverage in a large house' },
    { _id: 'q2', text: 'camera that records at night' },
  ];
  await writeFile(path.join(dataset, 'corpus.jsonl'), corpus.map((doc) => JSON.stringify(doc)).join('\n'));
  await writeFile(path.join(dataset, 'queries.jsonl'), queries.map((q) => JSON.stringify(q)).join('\n'));
  await mkdir(path.join(dataset, 'qrels'));
  await writeFile(
    path.join(dataset, 'qrels', 'test.tsv'),
    'query-id\tcorpus-id\tscore\nq1\td1\t1\nq2\td3\t1\n',
  );
});
afterAll(async () => {
  await rm(dataset, { recursive: true, force: true });
});

describe('groundwork eval retrieval', () => {
  it(
    'does not embed the corpus for a lexical run, although an embedder is configured',
    async () => {
      const { stdout } = await run(
        process.execPath,
        [BIN, 'eval', 'retrieval', '--dataset', dataset, '--mode', 'lexical', '--json'],
        { env: { ...process.env, CI: '', GROUNDWORK_EMBEDDER: 'test:hash-64' }, timeout: TIMEOUT_MS },
      );
      const report = JSON.parse(stdout.slice(stdout.indexOf('{'))) as {
        mode: string;
        documents: number;
        chunks: number;
        vectors: number;
        evaluation: { metrics: Record<string, number> };
      };
      expect(report).toMatchObject({ mode: 'lexical', documents: 3, vectors: 0 });
      expect(report.chunks).toBeGreaterThanOrEqual(3);
      expect(report.evaluation.metrics['mrr@10']).toBe(1);
    },
    TIMEOUT_MS,
  );
});
