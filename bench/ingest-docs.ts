/**
 * Ingestion benchmark on the PostgreSQL 15 manual (1,169 HTML pages): a full ingest, an unchanged
 * re-ingest (content hashes make it a no-op), a re-scan of the folder after one page changed, and that
 * page re-ingested alone after a second edit.
 *
 *   npx tsx bench/ingest-docs.ts [--backend pglite|postgres] [--url postgres://…] [--runs 3] [--embedder test:hash-384]
 *
 * Each run starts from an empty database (a fresh PGlite data directory, or a scratch database on the
 * server) and a fresh copy of the manual in a temporary folder (so one page can be edited). Reported
 * figures are medians over runs. No embedder by default: this measures parsing, chunking, BM25
 * postings and the store; pass --embedder to include (test-double) vectors and their HNSW index.
 */
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { JobRow } from '../src/store/jobs.ts';
import { openScratchDatabase } from './lib/scratch-database.ts';
import { describeMachine, median } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    backend: { type: 'string', default: 'pglite' },
    url: { type: 'string', default: process.env.GROUNDWORK_BENCH_DATABASE_URL },
    runs: { type: 'string', default: '3' },
    embedder: { type: 'string', default: 'none' },
  },
});
const manual = path.resolve(import.meta.dirname, '../../shared/data/postgresql-15-docs/html');

async function timedIngest(app: Awaited<ReturnType<typeof createGroundwork>>, folder: string) {
  const started = performance.now();
  const submitted = await app.ingestion.submit(
    'default',
    { sources: [{ kind: 'path', path: folder }] },
    { trusted: true },
  );
  await app.ingestion.drain();
  const seconds = (performance.now() - started) / 1000;
  const job = (await app.ingestion.getJob('default', submitted.id)) as JobRow;
  return { seconds, job };
}

const results: {
  full: number;
  docsPerSecond: number;
  chunksPerSecond: number;
  noop: number;
  changed: number;
  alone: number;
  bytes: number;
  chunks: number;
  failed: number;
}[] = [];
for (let run = 0; run < Number(values.runs); run++) {
  const scratch = await mkdtemp(path.join(tmpdir(), 'gw-bench-ingest-'));
  const folder = path.join(scratch, 'html');
  await cp(manual, folder, { recursive: true });
  const { db, drop } = await openScratchDatabase(values.backend ?? 'pglite', {
    url: values.url,
    dataDir: path.join(scratch, 'data'),
  });
  const app = await createGroundwork(
    loadConfig({ dataDir: path.join(scratch, 'data'), embedder: values.embedder }),
    { db },
  );
  try {
    const full = await timedIngest(app, folder);
    const noop = await timedIngest(app, folder);
    const page = path.join(folder, 'sql-createtable.html');
    await writeFile(
      page,
      (await readFile(page, 'utf8')).replace('</body>', '<p>Benchmark edit: one more paragraph.</p></body>'),
    );
    const changed = await timedIngest(app, folder);
    await writeFile(page, (await readFile(page, 'utf8')).replace('</body>', '<p>A second edit.</p></body>'));
    const alone = await timedIngest(app, page);
    if (changed.job.succeeded !== 1 || alone.job.succeeded !== 1 || noop.job.skipped !== full.job.succeeded) {
      throw new Error('unexpected job counts');
    }
    const bytes = await db.sizeBytes();
    results.push({
      full: full.seconds,
      docsPerSecond: full.job.succeeded / full.seconds,
      chunksPerSecond: full.job.chunks / full.seconds,
      noop: noop.seconds,
      changed: changed.seconds,
      alone: alone.seconds,
      bytes,
      chunks: full.job.chunks,
      failed: full.job.failed,
    });
    process.stderr.write(
      `run ${run + 1}: full ${full.seconds.toFixed(1)} s, no-op ${noop.seconds.toFixed(2)} s, one changed ${changed.seconds.toFixed(2)} s, that file alone ${alone.seconds.toFixed(2)} s\n`,
    );
  } finally {
    await app.close();
    await drop();
    await rm(scratch, { recursive: true, force: true });
  }
}
const pick = (key: keyof (typeof results)[number]) =>
  Math.round(median(results.map((result) => result[key])) * 100) / 100;
process.stdout.write(
  `${JSON.stringify(
    {
      machine: describeMachine(),
      backend: values.backend,
      embedder: values.embedder,
      runs: results.length,
      pages: 1169,
      chunks: pick('chunks'),
      failed: pick('failed'),
      fullIngestSeconds: pick('full'),
      documentsPerSecond: pick('docsPerSecond'),
      chunksPerSecond: pick('chunksPerSecond'),
      unchangedReingestSeconds: pick('noop'),
      folderRescanWithOneChangedFileSeconds: pick('changed'),
      changedFileAloneSeconds: pick('alone'),
      databaseBytes: pick('bytes'),
    },
    null,
    2,
  )}\n`,
);
