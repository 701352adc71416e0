/**
 * Generated answers with citations for five questions on the PostgreSQL manual, with whatever model
 * the configuration resolves (`GROUNDWORK_LLM`, default `auto`: the local Gemma 3 270M when pulled).
 * Prints each answer, its mode (generative, or extractive when the model's answer cited nothing), its
 * citations, timings and whether the expected fact appears; a human still reads the answers.
 *
 *   GROUNDWORK_MODELS_DIR=~/.cache/groundwork/models npx tsx bench/manual-answers.ts \
 *     --data-dir /tmp/gw-pgmanual [--embedder none] [--json]
 *
 * The manual is ingested into `--data-dir` once (unchanged files are skipped on later runs).
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { describeMachine } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    'data-dir': { type: 'string', default: '/tmp/gw-pgmanual' },
    embedder: { type: 'string', default: 'none' },
    json: { type: 'boolean', default: false },
  },
});

/** Each question with a fact the manual states and a correct answer must contain. */
const QUESTIONS = [
  { question: 'What TCP port does the PostgreSQL server listen on by default?', expect: /5432/ },
  { question: 'Which command reclaims the storage occupied by dead tuples?', expect: /VACUUM/i },
  { question: 'How can I build an index without locking out writes to the table?', expect: /CONCURRENTLY/i },
  { question: 'Which utility backs up a single database into a script or archive file?', expect: /pg_dump/ },
  { question: 'What is the largest value a single field can hold?', expect: /1\s?GB/i },
];

const manual = path.resolve(import.meta.dirname, '../../shared/data/postgresql-15-docs/html');
const config = loadConfig({ dataDir: values['data-dir'], embedder: values.embedder });
const app = await createGroundwork(config, { warmUp: true });
for (const note of app.modelNotes) process.stderr.write(`note: ${note}\n`);
const ingestStarted = performance.now();
await app.ingestion.submit('default', { sources: [{ kind: 'path', path: manual }] }, { trusted: true });
await app.ingestion.drain();
process.stderr.write(`manual indexed in ${((performance.now() - ingestStarted) / 1000).toFixed(1)} s\n`);

const results = [];
for (const { question, expect } of QUESTIONS) {
  const result = await app.answerer.ask({ tenantId: 'default', principals: [], question });
  const row = {
    question,
    mode: result.mode,
    model: result.model,
    answer: result.answer,
    factInAnswer: expect.test(result.answer),
    factInCitedPassage: result.citations.some((citation) => expect.test(citation.snippet)),
    citations: result.citations.map((citation) => `[${citation.n}] ${citation.title ?? citation.source}`),
    notes: result.notes,
    usage: result.usage,
    totalMs: Math.round(result.timings.totalMs),
    generateMs: Math.round(result.timings.generateMs),
  };
  results.push(row);
  if (!values.json) {
    process.stdout.write(
      `\n## ${question}\nmode ${row.mode} (${row.model ?? 'no model'}), ${row.totalMs} ms, tokens in/out ${row.usage.inputTokens}/${row.usage.outputTokens}, fact in answer: ${row.factInAnswer}\n${row.answer}\n${row.citations.join('\n')}\n${row.notes?.length ? `notes: ${JSON.stringify(row.notes)}\n` : ''}`,
    );
  }
}
const summary = {
  machine: describeMachine(),
  model: app.languageModelName,
  generative: results.filter((row) => row.mode === 'generative').length,
  factInAnswer: results.filter((row) => row.factInAnswer).length,
  questions: results.length,
};
if (values.json) process.stdout.write(`${JSON.stringify({ summary, results }, null, 2)}\n`);
else process.stdout.write(`\n${JSON.stringify(summary)}\n`);
await app.close();
