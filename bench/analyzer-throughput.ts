/**
 * @module bench/analyzer-throughput
 * Measures analyzer speed on a BEIR corpus (title + " " + text per document), in MB of UTF-8 input and
 * terms per second. The first pass uses a fresh analyzer (cold word cache); later passes are warm, as
 * during a long ingest. Usage:
 *
 *   npx tsx bench/analyzer-throughput.ts [--dataset ../shared/data/scifact] [--passes 7]
 */
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readBeirCorpus, resolveDatasetDirectory } from '../src/evals/beir.ts';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));
const { values } = parseArgs({
  options: {
    dataset: { type: 'string', default: '../shared/data/scifact' },
    passes: { type: 'string', default: '7' },
  },
});

const directory = await resolveDatasetDirectory(values.dataset, [process.cwd(), REPOSITORY_ROOT]);
const texts: string[] = [];
for await (const document of readBeirCorpus(directory)) texts.push(`${document.title} ${document.text}`);
const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
const analyzer = createAnalyzer();
const passes = Number(values.passes);

const methods = {
  termFrequencies: (text: string) => analyzer.termFrequencies(text).length,
  terms: (text: string) => analyzer.terms(text).length,
};
for (const [method, run] of Object.entries(methods)) {
  const seconds: number[] = [];
  let terms = 0;
  for (let pass = 0; pass < passes; pass++) {
    const started = performance.now();
    terms = 0;
    for (const text of texts) terms += run(text);
    seconds.push((performance.now() - started) / 1000);
  }
  // The first pass of the first method runs with a cold word cache and JIT; report it apart.
  const first = seconds[0]!;
  const median = seconds.slice(1).sort((left, right) => left - right)[Math.floor((passes - 1) / 2)] ?? first;
  console.log(
    `${method}: ${megabytes.toFixed(2)} MB, ${terms} terms; first pass ${(megabytes / first).toFixed(1)} MB/s, ` +
      `median of ${passes - 1} warm passes ${(megabytes / median).toFixed(1)} MB/s (${(terms / median / 1e6).toFixed(2)} M terms/s)`,
  );
}
