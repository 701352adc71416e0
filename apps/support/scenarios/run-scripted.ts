/**
 * @module support/scenarios/run-scripted
 * Runs the scenarios on the agent runtime through the support service, with the scenario double as
 * the model (see scenario-model.ts) or a real one (the local chat model). The tools run against the seeded database; each scenario is a new
 * conversation, and the returns it opened are deleted afterwards so the next starts from the seed.
 */
import type { LanguageModelV3 } from '@ai-sdk/provider';
import type { SqlExecutor } from '../../../src/store/database.ts';
import type { SupportService, SupportTurnResult } from '../service.ts';
import { seedSupportStore } from '../store/seed.ts';
import { openSupportApp } from '../testing.ts';
import { checkTurn } from './check-turn.ts';
import type { ScenarioReport, ScenarioResult } from './runner.ts';
import type { Scenario, ScenarioTurn, TurnExpectation } from './scenario.ts';
import { AGENT_ALIASES, createScenarioModel, targetAgent } from './scenario-model.ts';

/** Everything a turn of the runtime did wrong against the expectation. */
export function checkSupportTurn(
  result: SupportTurnResult,
  expect: TurnExpectation,
  target: string,
  modelCalls: number,
): string[] {
  const problems = checkTurn(
    {
      intent: '',
      agent: result.agent as never,
      // A call waiting for approval was asked for; the expectation counts it (it runs once approved).
      toolCalls: [...result.toolCalls, ...(result.pendingApproval?.calls ?? [])].map((call) => ({
        name: call.name,
        input: (call.input ?? {}) as Record<string, unknown>,
        output: call.output,
      })),
      reply: result.reply,
      ...(result.escalated ? { escalated: 'agent-decision' as const } : {}),
      approvalRequested: result.pendingApproval !== undefined,
      refused: result.refused,
    },
    { ...expect, ...(expect.agent ? { agent: AGENT_ALIASES[expect.agent] ?? expect.agent } : {}) },
  );
  for (const call of result.toolCalls)
    if (call.error) problems.push(`${call.name} did not run: ${call.error}`);
  // When the model was asked, the turn must have gone triage → the expected agent by handoff.
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
      const result = await runOne(support, app.db, scenario, options.tenantId, beforeTurn);
      options.onScenario?.(result, results.length);
      results.push(result);
    }
    const passed = results.filter((result) => result.passed).length;
    return { results, passRate: results.length > 0 ? passed / results.length : 0 };
  } finally {
    await close();
  }
}

async function runOne(
  support: SupportService,
  db: SqlExecutor,
  scenario: Scenario,
  tenantId: string,
  beforeTurn: (turn: ScenarioTurn) => () => number,
): Promise<ScenarioResult> {
  const problems: string[] = [];
  const { rows } = await db.query<{ max: number | null }>(
    'SELECT max(id)::int AS max FROM support_returns WHERE tenant_id = $1',
    [tenantId],
  );
  let conversationId: string | undefined;
  try {
    for (const [index, turn] of scenario.turns.entries()) {
      const modelCalls = beforeTurn(turn);
      const result = await support.turn({ tenantId, conversationId, message: turn.user });
      conversationId = result.conversationId;
      for (const problem of checkSupportTurn(result, turn.expect, targetAgent(turn), modelCalls()))
        problems.push(`turn ${index + 1}: ${problem}`);
    }
  } catch (error) {
    problems.push(`error: ${String(error)}`);
  } finally {
    await db.query('DELETE FROM support_returns WHERE tenant_id = $1 AND id > $2', [
      tenantId,
      rows[0]?.max ?? 0,
    ]);
  }
  return { id: scenario.id, passed: problems.length === 0, problems };
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
