/**
 * The in-process lexical index without a database (ADR 0037): builds it from the same resampled SciFact
 * chunks as bench/lexical-engines.ts (analysis included in the build figure) and times searches of the
 * 300 test claims and of bad input, as an unrestricted caller and a restricted one.
 *
 *   npx tsx bench/lexical-index-only.ts --chunks 100000
 */
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import { LexicalIndex } from '../src/retrieval/lexical/memory/lexical-index.ts';
import { describeMachine, median, percentile, seededRandom } from './lib/stats.ts';
import { chunkTexts, scifactSentences, scifactTestQueries } from './lib/synthetic-corpus.ts';

const { values } = parseArgs({
  options: { chunks: { type: 'string', default: '10000' }, passes: { type: 'string', default: '3' } },
});
const sentences = scifactSentences();
const claims = scifactTestQueries();
const analyzer = createAnalyzer();

const total = Number(values.chunks);
const random = seededRandom(42);
const nextText = chunkTexts(sentences, random);
const started = performance.now();
const byTerm = new Map<string, { chunkIds: number[]; tfs: number[] }>();
const added: { chunkId: number; aclSetId: number; length: number }[] = [];
for (let chunk = 1; chunk <= total; chunk++) {
  const text = nextText();
  const { frequencies, length } = analyzer.termFrequencies(text);
  // Documents of 10 chunks; every fifth document restricted, as in lexical-engines.ts.
  added.push({ chunkId: chunk, aclSetId: Math.floor((chunk - 1) / 10) % 5 === 0 ? 2 : 1, length });
  for (const [term, tf] of frequencies) {
    let list = byTerm.get(term);
    if (list === undefined) {
      list = { chunkIds: [], tfs: [] };
      byTerm.set(term, list);
    }
    list.chunkIds.push(chunk);
    list.tfs.push(tf);
  }
}
const analysedMs = performance.now() - started;
const index = new LexicalIndex({ k1: 0.9, b: 0.4 });
const buildStarted = performance.now();
index.apply(
  {
    sets: [
      { id: 1, principals: ['*'] },
      { id: 2, principals: ['group:finance'] },
    ],
    removed: [],
    added,
    postings: [...byTerm].map(([term, list]) => ({ term, ...list })),
  },
  '1',
);
const buildMs = performance.now() - buildStarted;
const stats = index.stats();
const requests = claims.map((claim) => analyzer.terms(claim));
const latency: Record<string, { p50: number; p95: number }> = {};
for (const principals of [undefined, ['user:bench']]) {
  const p50: number[] = [];
  const p95: number[] = [];
  for (const terms of requests.slice(0, 30)) index.search({ terms, principals, limit: 10 });
  for (let pass = 0; pass < Number(values.passes); pass++) {
    const times = requests.map((terms) => {
      const at = performance.now();
      index.search({ terms, principals, limit: 10 });
      return performance.now() - at;
    });
    p50.push(percentile(times, 50));
    p95.push(percentile(times, 95));
  }
  latency[principals ? 'restricted' : 'operator'] = { p50: round(median(p50)), p95: round(median(p95)) };
}
const bad: Record<string, number> = {};
for (const [name, text] of Object.entries({
  'one stop word': 'the',
  'unknown terms': 'zzqxv qqvvk',
  '500 terms': Array.from({ length: 500 }, (_, i) => claims[i % claims.length]!.split(' ')[i % 4]).join(' '),
  'term in most chunks': 'cells patients',
})) {
  const terms = analyzer.terms(text);
  const times = Array.from({ length: 5 }, () => {
    const at = performance.now();
    index.search({ terms, principals: ['user:bench'], limit: 10 });
    return performance.now() - at;
  });
  bad[name] = round(median(times));
}
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      ...stats,
      bytesPerPosting: round(stats.memoryBytes / stats.postings),
      analysisChunksPerSecond: Math.round(total / (analysedMs / 1000)),
      buildChunksPerSecond: Math.round(total / (buildMs / 1000)),
      buildPostingsPerSecond: Math.round(stats.postings / (buildMs / 1000)),
      latencyMs: latency,
      badInputMs: bad,
    },
    null,
    2,
  )}\n`,
);

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}
