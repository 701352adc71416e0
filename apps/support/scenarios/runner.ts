/**
 * @module support/scenarios/runner
 * Runs the scenarios against the no-LLM policy: one seeded database, each scenario inside a
 * transaction that is rolled back afterwards, so returns opened by one scenario do not leak into the
 * next.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type IntentRouter, trainIntentRouter } from '../../../src/agents/intents/router.ts';
import { createAnalyzer } from '../../../src/retrieval/lexical/analyzer.ts';
import type { EmbedderInfo } from '../../../src/spec/embedding.ts';
import type { Database } from '../../../src/store/database.ts';
import { loadIntentSplits } from '../intents/index.ts';
import { createKnowledgeIndex } from '../knowledge-index.ts';
import { createRoutedPolicy } from '../routed-policy.ts';
import { SEED_NOW } from '../store/seed-data.ts';
import { createSupportTools, type SearchPort } from '../tools/index.ts';
import { checkTurn } from './check-turn.ts';
import type { Scenario } from './scenario.ts';

/** The outcome of one scenario. */
export interface ScenarioResult {
  readonly id: string;
  readonly passed: boolean;
  /** `turn n: problem` lines. */
  readonly problems: string[];
}

/** The report of a run. */
export interface ScenarioReport {
  readonly results: ScenarioResult[];
  readonly passRate: number;
}

const DIRECTORY = path.dirname(fileURLToPath(import.meta.url));
class Rollback extends Error {}

/** Reads the scenarios shipped with the app. */
export async function loadScenarios(file = path.join(DIRECTORY, 'scenarios.json')): Promise<Scenario[]> {
  return JSON.parse(await readFile(file, 'utf8')) as Scenario[];
}

/** Trains the app's router from its utterances (TF-IDF, or an embedder when given) and calibrates it. */
export async function trainSupportRouter(embedder?: EmbedderInfo): Promise<IntentRouter> {
  const splits = await loadIntentSplits();
  const router = await trainIntentRouter(splits.train, { embedder, analyzer: createAnalyzer() });
  await router.calibrate(splits.validation);
  return router;
}

/** Runs scenarios against the policy over `db`, which must hold the seed in `tenantId`. */
export async function runScenarios(
  db: Database,
  scenarios: readonly Scenario[],
  options: { tenantId: string; router?: IntentRouter; retriever?: SearchPort },
): Promise<ScenarioReport> {
  const router = options.router ?? (await trainSupportRouter());
  const retriever = options.retriever ?? (await createKnowledgeIndex());
  const analyzer = createAnalyzer();
  const results: ScenarioResult[] = [];
  for (const scenario of scenarios) {
    const problems: string[] = [];
    await db
      .transaction(async (tx) => {
        const tools = createSupportTools({ db: tx, retriever, now: () => SEED_NOW });
        const policy = createRoutedPolicy({ db: tx, router, tools, analyzer });
        const session = policy.startSession(options.tenantId, scenario.id);
        for (const [index, turn] of scenario.turns.entries()) {
          const outcome = await policy.turn(session, turn.user);
          for (const problem of checkTurn(outcome, turn.expect))
            problems.push(`turn ${index + 1}: ${problem}`);
        }
        throw new Rollback();
      })
      .catch((error: unknown) => {
        if (!(error instanceof Rollback)) problems.push(`error: ${String(error)}`);
      });
    results.push({ id: scenario.id, passed: problems.length === 0, problems });
  }
  const passed = results.filter((result) => result.passed).length;
  return { results, passRate: results.length > 0 ? passed / results.length : 0 };
}
