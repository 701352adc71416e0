/**
 * Held-out-style retrieval check (issue 18, ADR 0043): the 30 questions of
 * evals/postgresql-manual-questions.json over the PostgreSQL 15 manual, through the product's own
 * ingestion and retriever, in each mode. A question is a hit@5 when one of its expected pages is among
 * the first 5 distinct pages of the ranking (chunks folded into their page, best chunk first).
 *
 *   GROUNDWORK_MODELS_DIR=/var/cache/groundwork/models npx tsx bench/manual-retrieval.ts \
 *     --data-dir /tmp/gw-manual-retrieval [--embedder local:bge-small-en-v1.5] [--json]
 *
 * The manual is ingested into `--data-dir` once (unchanged files are skipped on later runs). Without
 * an embedder only the lexical mode runs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import type { RetrievalMode } from '../src/spec/retrieval.ts';
import { describeMachine } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '/tmp/gw-manual-retrieval' },
    embedder: { type: 'string', default: 'none' },
    'database-url': { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});

interface Question {
  readonly id: string;
  readonly question: string;
  readonly pages: readonly string[];
}

const root = path.resolve(import.meta.dirname, '..');
const dataset = JSON.parse(
  readFileSync(path.join(root, 'evals/postgresql-manual-questions.json'), 'utf8'),
) as { corpus: string; questions: Question[] };
const manual = path.resolve(root, dataset.corpus);

const config = loadConfig({
  dataDir: values['data-dir'],
  embedder: values.embedder,
  ...(values['database-url'] ? { databaseUrl: values['database-url'] } : {}),
});
const app = await createGroundwork(config, { warmUp: true });
const ingestStarted = performance.now();
await app.ingestion.submit('default', { sources: [{ kind: 'path', path: manual }] }, { trusted: true });
await app.ingestion.drain();
process.stderr.write(`manual indexed in ${((performance.now() - ingestStarted) / 1000).toFixed(1)} s\n`);

const modes: RetrievalMode[] = app.retriever.embedder ? ['lexical', 'vector', 'hybrid'] : ['lexical'];
const report: Record<string, { hitAt5: number; mrrAt10: number; misses: string[] }> = {};
for (const mode of modes) {
  let hits = 0;
  let reciprocal = 0;
  const misses: string[] = [];
  for (const question of dataset.questions) {
    const result = await app.retriever.search({
      tenantId: 'default',
      text: question.question,
      mode,
      limit: 50,
    });
    const pages: string[] = [];
    for (const chunk of result.chunks) {
      const page = path.basename(chunk.originUri);
      if (!pages.includes(page)) pages.push(page);
    }
    const rank = pages.findIndex((page) => question.pages.includes(page));
    if (rank >= 0 && rank < 5) hits++;
    else misses.push(`${question.id} (${pages.slice(0, 3).join(', ')})`);
    if (rank >= 0 && rank < 10) reciprocal += 1 / (rank + 1);
  }
  report[mode] = {
    hitAt5: hits / dataset.questions.length,
    mrrAt10: Math.round((reciprocal / dataset.questions.length) * 1000) / 1000,
    misses,
  };
  process.stderr.write(`${mode}: hit@5 ${hits}/${dataset.questions.length}\n`);
}
const summary = {
  machine: describeMachine(),
  lexicalEngine: app.retriever.lexical.name,
  embedder: values.embedder,
  questions: dataset.questions.length,
  report,
};
process.stdout.write(`${JSON.stringify(summary, null, values.json ? undefined : 2)}\n`);
await app.close();
