/**
 * @module support/scenarios/run-routed
 * Runs the scenarios in the `routed` mode: the support service with no model, so the no-LLM policy
 * answers, exactly as `groundwork support` does without `GROUNDWORK_LLM` (message limits, moderation,
 * a conversation held by a person, escalations in the inbox and operator actions included).
 */
import type { IntentRouter } from '../../../src/agents/intents/router.ts';
import { createGroundwork } from '../../../src/app.ts';
import { loadConfig } from '../../../src/config/config.ts';
import type { Database } from '../../../src/store/database.ts';
import { createSupportApp } from '../create-support-app.ts';
import { createKnowledgeIndex } from '../knowledge-index.ts';
import { SEED_NOW } from '../store/seed-data.ts';
import type { SearchPort } from '../tools/index.ts';
import { runConversation } from './run-conversation.ts';
import { reportOf, type ScenarioReport, type ScenarioResult, trainSupportRouter } from './runner.ts';
import type { Scenario } from './scenario.ts';

/** Runs scenarios without a model over `db`, which must hold the seed in `tenantId`. */
export async function runScenarios(
  db: Database,
  scenarios: readonly Scenario[],
  options: {
    tenantId: string;
    router?: IntentRouter;
    retriever?: SearchPort;
    onScenario?: (result: ScenarioResult, index: number) => void;
  },
): Promise<ScenarioReport> {
  const config = loadConfig({ dataDir: 'memory://', embedder: 'none', llm: { model: 'none' } });
  const app = await createGroundwork(config, { db });
  try {
    const { service } = await createSupportApp(app, {
      retriever: options.retriever ?? (await createKnowledgeIndex()),
      router: options.router ?? (await trainSupportRouter()),
      now: () => SEED_NOW,
      operatorTools: [],
      model: null,
    });
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const result = await runConversation(
        { support: service, inbox: app.inbox, db, tenantId: options.tenantId },
        scenario,
      );
      options.onScenario?.(result, results.length);
      results.push(result);
    }
    return reportOf(results);
  } finally {
    await app.close();
  }
}
