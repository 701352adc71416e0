/**
 * @module support/scenarios/run-scripted
 * Runs the scenarios on the agent runtime through the support service, with the scenario double as
 * the model (see scenario-model.ts) or a real one (the local chat model). The tools run against the
 * seeded database; each scenario is a new conversation (run-conversation.ts).
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { SupportTurnResult } from '../service.ts';
import { seedSupportStore } from '../store/seed.ts';
import { openSupportApp } from '../testing.ts';
import { runConversation } from './run-conversation.ts';
import { reportOf, type ScenarioReport, type ScenarioResult } from './runner.ts';
import type { Scenario, ScenarioTurn } from './scenario.ts';
import { AGENT_ALIASES, createScenarioModel, targetAgent } from './scenario-model.ts';

/** What the scripted mode checks beyond the expectation: the handoff route and tools that failed. */
export function checkRuntimeTurn(
  result: SupportTurnResult,
  turn: ScenarioTurn,
  modelCalls: number,
): string[] {
  const problems: string[] = [];
  const expected = new Set(
    [...(turn.expect.tools ?? []), ...(turn.model?.tools ?? [])].map((tool) => tool.name),
  );
  for (const call of result.toolCalls)
    if (call.error && expected.has(call.name) && !turn.expect.forbidTools?.includes(call.name))
      problems.push(`${call.name} did not run: ${call.error}`);
  // When the model was asked, the turn must have gone triage → the expected agent by handoff.
  const target = targetAgent(turn);
  const route = target === 'triage' ? ['triage'] : ['triage', target];
  if (modelCalls > 0 && route.join('>') !== result.route.join('>'))
    problems.push(`route ${result.route.join(' > ')}, expected ${route.join(' > ')}`);
  return problems;
}

/** Runs the scenarios on the runtime with the scenario double; opens its own seeded database. */
export async function runScriptedScenarios(
  scenarios: readonly Scenario[],
  options: { tenantId: string },
): Promise<ScenarioReport> {
  const scenarioModel = createScenarioModel();
  return runModelScenarios(scenarios, {
    tenantId: options.tenantId,
    model: scenarioModel.model,
    // The double is told each turn's expected calls; how many it plays is the turn's model calls.
    beforeTurn: (turn) => {
      const double = scenarioModel.plan(turn);
      return () => double.calls.length;
    },
  });
}

/**
 * Runs the scenarios through the support service on `model` (the double, or a real model); opens its
 * own seeded database. `beforeTurn` returns how to count the turn's model calls once it is done;
 * without it the model's calls are counted by wrapping it.
 */
export async function runModelScenarios(
  scenarios: readonly Scenario[],
  options: {
    tenantId: string;
    model: LanguageModelV3;
    /** Wall-clock budget of each turn; the runtime's default when absent. */
    budgetMs?: number;
    beforeTurn?: (turn: ScenarioTurn) => () => number;
    onScenario?: (result: ScenarioResult, index: number) => void;
  },
): Promise<ScenarioReport> {
  const counted = countCalls(options.model);
  const beforeTurn =
    options.beforeTurn ??
    (() => {
      const start = counted.calls();
      return () => counted.calls() - start;
    });
  const { app, support, close } = await openSupportApp({
    model: counted.model,
    ...(options.budgetMs === undefined ? {} : { budgetMs: options.budgetMs }),
  });
  try {
    await seedSupportStore(app.db, { tenantId: options.tenantId });
    const results: ScenarioResult[] = [];
    for (const scenario of scenarios) {
      const result = await runConversation(
        { support, inbox: app.inbox, db: app.db, tenantId: options.tenantId },
        scenario,
        { beforeTurn, check: checkRuntimeTurn, agentAliases: AGENT_ALIASES },
      );
      options.onScenario?.(result, results.length);
      results.push(result);
    }
    return reportOf(results);
  } finally {
    await close();
  }
}

/** The model with a count of its calls. */
function countCalls(model: LanguageModelV3): { model: LanguageModelV3; calls(): number } {
  let calls = 0;
  return {
    calls: () => calls,
    model: {
      specificationVersion: model.specificationVersion,
      provider: model.provider,
      modelId: model.modelId,
      supportedUrls: model.supportedUrls,
      doGenerate: (options) => {
        calls++;
        return model.doGenerate(options);
      },
      doStream: (options) => {
        calls++;
        return model.doStream(options);
      },
    },
  };
}
