/**
 * The bias evaluation (src/evals/bias) against a real model: the answer pipeline (`/v1/ask` over the
 * HTTP app, guardrails on, the support knowledge base ingested lexically), the support app in routed
 * mode (no model: the whole set) and in agents mode. Prints a table per target: per attribute the
 * pairs, refusal difference, share refused on one side, sentiment difference and gap, content
 * difference, length difference and citation overlap.
 *
 *   GROUNDWORK_MODELS_DIR=~/.cache/groundwork/models npx tsx bench/bias-eval.ts \
 *     [--model local:gemma-3-270m] [--per-attribute 2] [--agents-per-attribute 1] \
 *     [--targets ask,routed,agents] [--max-output-tokens 128] [--json]
 *
 * A CPU-bound local model answers one prompt in tens of seconds on two shared cores, so the model
 * targets run a subset spread over the templates (`--per-attribute`); routed mode runs all 144 pairs.
 */
import path from 'node:path';
import { parseArgs } from 'node:util';
import { supportTarget } from '../apps/support/bias-target.ts';
import { createKnowledgeIndex } from '../apps/support/knowledge-index.ts';
import { trainSupportRouter } from '../apps/support/scenarios/runner.ts';
import { createSupportService } from '../apps/support/service.ts';
import { seedSupportStore } from '../apps/support/store/seed.ts';
import { SEED_NOW } from '../apps/support/store/seed-data.ts';
import { createGroundwork } from '../src/app.ts';
import { loadConfig } from '../src/config/config.ts';
import { askTarget } from '../src/evals/bias/ask-target.ts';
import { biasPairs } from '../src/evals/bias/pairs.ts';
import { type BiasReport, checkBiasGate, formatBiasTable, runBiasEval } from '../src/evals/bias/run.ts';
import { createHttpApp } from '../src/server/app.ts';
import { describeMachine } from './lib/stats.ts';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'local:gemma-3-270m' },
    'per-attribute': { type: 'string', default: '2' },
    'agents-per-attribute': { type: 'string', default: '1' },
    targets: { type: 'string', default: 'ask,routed,agents' },
    'max-output-tokens': { type: 'string', default: '128' },
    json: { type: 'boolean', default: false },
  },
});
const targets = new Set(values.targets.split(','));
const started = performance.now();
const config = loadConfig({
  dataDir: 'memory://',
  embedder: 'none',
  llm: { model: values.model },
  answer: { maxOutputTokens: Number(values['max-output-tokens']) },
  cache: { answers: { enabled: false } },
  // A CPU-bound model answers slower than the API's 120 s request limit; an abandoned request does
  // not stop its generation, so later requests would queue behind it and time out too.
  limits: { requestTimeoutMs: 3_600_000 },
});
const app = await createGroundwork(config, { warmUp: true });
const reports: BiasReport[] = [];
/** Prints a target's table as soon as it is done, so a long run that is stopped keeps what it measured. */
function done(report: BiasReport): void {
  reports.push(report);
  if (values.json) return;
  const problems = checkBiasGate(report);
  process.stdout.write(
    `${formatBiasTable(report)}\ngate: ${problems.length === 0 ? 'passes' : problems.join('; ')}\n\n`,
  );
}
const progress = (name: string) => (done: number, total: number) => {
  if (!values.json) process.stderr.write(`\r${name}: ${done}/${total} pairs`);
  if (done === total && !values.json) process.stderr.write('\n');
};
try {
  if (targets.has('ask')) {
    const knowledge = path.resolve(import.meta.dirname, '../apps/support/knowledge');
    await app.ingestion.submit(
      config.defaultTenant,
      { sources: [{ kind: 'path', path: knowledge }] },
      { trusted: true },
    );
    await app.ingestion.drain();
    const http = createHttpApp(app, { webRoot: null });
    const target = askTarget((p, init) => http.request(p, init), {
      name: `answers (/v1/ask, ${app.languageModelName ?? 'extractive'})`,
    });
    const pairs = biasPairs({ perAttribute: Number(values['per-attribute']) });
    done(await runBiasEval(target, pairs, progress('ask')));
  }
  if (targets.has('routed') || targets.has('agents')) {
    await seedSupportStore(app.db, { tenantId: 'demo' });
    const options = {
      retriever: await createKnowledgeIndex(),
      router: await trainSupportRouter(),
      now: () => SEED_NOW,
    };
    if (targets.has('routed')) {
      const routed = createSupportService(app, { ...options, model: null });
      done(await runBiasEval(supportTarget(routed, 'demo'), biasPairs(), progress('routed')));
    }
    if (targets.has('agents') && app.languageModel) {
      const agents = createSupportService(app, { ...options, budgetMs: 600_000 });
      const name = `support app (agents, ${app.languageModelName})`;
      const pairs = biasPairs({ perAttribute: Number(values['agents-per-attribute']) });
      done(await runBiasEval(supportTarget(agents, 'demo', name), pairs, progress('agents')));
    }
  }
} finally {
  await app.close();
}

const minutes = Math.round((performance.now() - started) / 6000) / 10;
if (values.json) {
  process.stdout.write(`${JSON.stringify({ machine: describeMachine(), minutes, reports }, null, 2)}\n`);
} else {
  process.stdout.write(`${describeMachine()}; ${minutes} min\n`);
}
