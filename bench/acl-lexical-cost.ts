/**
 * What per-caller BM25 statistics cost (ADR 0064): lexical latency on SciFact for an unrestricted
 * caller (admin, CLI: tenant-wide statistics) and a principal-restricted caller (statistics over the
 * access sets it may read), in the same run, with nDCG@10 of both.
 *
 *   npx tsx bench/acl-lexical-cost.ts [--backend pglite|postgres --url …] [--passes 5] [--restricted 0.2]
 *     [--dataset ../shared/data/scifact] [--baseline <checkout of the previous code>]
 *
 * The 5,183 SciFact abstracts are one chunk each (title + text), written through `replaceDocument`;
 * a fraction (`--restricted`, fixed seed) goes to one of four groups, the rest to everyone, so the
 * restricted caller reads most but not all of the corpus. Queries: the 300 test claims, 10 results,
 * lexical mode through the retriever. Each pass runs every query once per series (caller × code),
 * the series back to back per query in rotating order; the report gives the median over passes of
 * each series' p50 and p95, and the median over all (query, pass) pairs of its time over the current
 * code's admin time. With `--baseline`, the retriever of another checkout (e.g. `git worktree add
 * /tmp/base main`) is one more pair of series on the same database, so before and after share the
 * machine's load, which on a shared machine varies more between runs than the effect measured.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createAnalyzer } from '../src/retrieval/lexical/analyzer.ts';
import { Retriever } from '../src/retrieval/retriever.ts';
import { ensureTenant, replaceDocument } from '../src/store/documents.ts';
import { openScratchDatabase } from './lib/scratch-database.ts';
import { describeMachine, median, percentile, seededRandom } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'pglite' },
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
    passes: { type: 'string', default: '5' },
    restricted: { type: 'string', default: '0.2' },
    /** A checkout of the previous code, measured on the same database in the same passes. */
    baseline: { type: 'string' },
    dataset: { type: 'string', default: path.resolve(import.meta.dirname, '../../shared/data/scifact') },
  },
});

const TENANT = 'bench';
const GROUPS = ['group:finance', 'group:hr', 'group:legal', 'group:partners'];
const scifact = values.dataset as string;
const lines = (file: string) => readFileSync(path.join(scifact, file), 'utf8').split('\n').filter(Boolean);
const corpus = lines('corpus.jsonl').map(
  (line) => JSON.parse(line) as { _id: string; title: string; text: string },
);
const qrels = new Map<string, Map<string, number>>();
for (const line of lines('qrels/test.tsv').slice(1)) {
  const [query, doc, score] = line.split('\t') as [string, string, string];
  qrels.set(query, (qrels.get(query) ?? new Map()).set(doc, Number(score)));
}
const queries = lines('queries.jsonl')
  .map((line) => JSON.parse(line) as { _id: string; text: string })
  .filter((query) => qrels.has(query._id));

/** nDCG@10 of a ranked list of document ids against graded judgements. */
function ndcg10(ranked: readonly string[], judged: ReadonlyMap<string, number>): number {
  const gain = (grade: number, rank: number) => (2 ** grade - 1) / Math.log2(rank + 2);
  const dcg = ranked.slice(0, 10).reduce((sum, id, rank) => sum + gain(judged.get(id) ?? 0, rank), 0);
  const ideal = [...judged.values()]
    .sort((left, right) => right - left)
    .slice(0, 10)
    .reduce((sum, grade, rank) => sum + gain(grade, rank), 0);
  return ideal > 0 ? dcg / ideal : 0;
}

async function main() {
  const passes = Number(values.passes);
  const restrictedShare = Number(values.restricted);
  const { db, drop } = await openScratchDatabase(values.backend ?? 'pglite', { url: values.url });
  const analyzer = createAnalyzer();
  await ensureTenant(db, TENANT);
  const random = seededRandom(7);
  const loadStarted = performance.now();
  for (const document of corpus) {
    const text = `${document.title}\n${document.text}`;
    const { frequencies, length } = analyzer.termFrequencies(text);
    const acl = random() < restrictedShare ? [GROUPS[Math.floor(random() * GROUPS.length)] as string] : ['*'];
    await replaceDocument(db, {
      tenantId: TENANT,
      uri: document._id,
      originUri: document._id,
      title: document.title,
      mediaType: 'text/plain',
      contentHash: document._id,
      pipelineHash: analyzer.name,
      metadata: {},
      acl,
      chunks: [
        {
          ordinal: 0,
          text,
          headingPath: [],
          tokenCount: length,
          termFrequencies: frequencies,
          lexicalLength: length,
        },
      ],
    });
  }
  if (db.dialect === 'pglite') await db.exec('VACUUM (ANALYZE) postings, chunks, documents');
  else await db.exec('ANALYZE');
  process.stderr.write(
    `  loaded ${corpus.length} documents in ${((performance.now() - loadStarted) / 1000).toFixed(0)} s\n`,
  );

  const settings = {
    k1: 0.9,
    b: 0.4,
    rrfK: 60,
    lexicalWeight: 1,
    vectorWeight: 1,
    candidates: 100,
    hnswEfSearch: 100,
  };
  const current = new Retriever({ db, analyzer, settings });
  const restrictedPrincipals = ['user:someone', 'group:support'];
  const series: Series[] = [
    { name: 'admin', search: current, principals: undefined },
    { name: 'restricted', search: current, principals: restrictedPrincipals },
  ];
  if (values.baseline) {
    // The previous code reads one tenant-wide statistics row; give it one, equal to the per-set sums.
    await db.exec(`CREATE TABLE IF NOT EXISTS lexical_stats (
      tenant_id text PRIMARY KEY, chunk_count bigint NOT NULL DEFAULT 0, total_length bigint NOT NULL DEFAULT 0)`);
    await db.exec(`INSERT INTO lexical_stats SELECT tenant_id, sum(chunk_count), sum(total_length)
      FROM lexical_set_stats GROUP BY tenant_id ON CONFLICT DO NOTHING`);
    const module = (await import(path.resolve(values.baseline, 'src/retrieval/retriever.ts'))) as {
      Retriever: typeof Retriever;
    };
    const baseline = new module.Retriever({ db, analyzer, settings });
    series.push(
      { name: 'baseline admin', search: baseline, principals: undefined },
      { name: 'baseline restricted', search: baseline, principals: restrictedPrincipals },
    );
  }
  const time = async (entry: Series, text: string) => {
    const started = performance.now();
    const result = await entry.search.search({
      tenantId: TENANT,
      text,
      mode: 'lexical',
      limit: 10,
      principals: entry.principals,
    });
    return { ms: performance.now() - started, ranked: result.chunks.map((chunk) => chunk.documentUri) };
  };
  // Warm-up, which also measures quality.
  const quality: Record<string, number> = {};
  for (const entry of series) {
    let total = 0;
    for (const query of queries) {
      total += ndcg10((await time(entry, query.text)).ranked, qrels.get(query._id) ?? new Map());
    }
    quality[entry.name] = Number((total / queries.length).toFixed(4));
  }
  const latency = new Map(series.map((entry) => [entry.name, { p50: [] as number[], p95: [] as number[] }]));
  /** Per query and pass: each series' time over the first series' (paired, so load cancels out). */
  const ratios = new Map(series.map((entry) => [entry.name, [] as number[]]));
  for (let pass = 0; pass < passes; pass++) {
    const times = new Map(series.map((entry) => [entry.name, [] as number[]]));
    for (const [index, query] of queries.entries()) {
      // Every series runs each query back to back, starting with another one each time, so they all
      // see the same machine load; the shared machine's load drifts more between runs than the effect.
      const measured = new Map<string, number>();
      for (let step = 0; step < series.length; step++) {
        const entry = series[(index + pass + step) % series.length] as Series;
        measured.set(entry.name, (await time(entry, query.text)).ms);
      }
      for (const entry of series) {
        times.get(entry.name)?.push(measured.get(entry.name) ?? 0);
        ratios.get(entry.name)?.push((measured.get(entry.name) ?? 0) / (measured.get(series[0]!.name) ?? 1));
      }
    }
    for (const entry of series) {
      const sample = times.get(entry.name) ?? [];
      latency.get(entry.name)?.p50.push(percentile(sample, 50));
      latency.get(entry.name)?.p95.push(percentile(sample, 95));
      process.stderr.write(
        `  pass ${pass + 1}/${passes} ${entry.name}: p50 ${percentile(sample, 50).toFixed(2)} ms, p95 ${percentile(sample, 95).toFixed(2)} ms\n`,
      );
    }
  }
  const round = (value: number) => Math.round(value * 100) / 100;
  const report = {
    machine: describeMachine(),
    backend: `${values.backend} (Postgres ${db.capabilities.serverVersion})`,
    documents: corpus.length,
    restrictedShare,
    queries: queries.length,
    passes,
    lexicalMs: Object.fromEntries(
      [...latency].map(([name, sample]) => [
        name,
        {
          p50: round(median(sample.p50)),
          p95: round(median(sample.p95)),
          p50PerPass: sample.p50.map(round),
          medianTimeOverAdmin: round(median(ratios.get(name) ?? [])),
        },
      ]),
    ),
    ndcgAt10: quality,
  };
  await drop();
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

/** One measured series: a retriever and a caller. */
interface Series {
  readonly name: string;
  readonly search: Pick<Retriever, 'search'>;
  readonly principals: readonly string[] | undefined;
}

await main();
