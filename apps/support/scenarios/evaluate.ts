/**
 * @module support/scenarios/evaluate
 * The scenario suite in one or both modes, each on its own freshly seeded in-memory database:
 * `routed` is the no-LLM policy, `scripted` the agent runtime with the scenario double as the model.
 */
import { InvalidRequestError } from '../../../src/errors.ts';
import { openDatabase } from '../../../src/store/open.ts';
import { seedSupportStore } from '../store/seed.ts';
import { runScriptedScenarios } from './run-scripted.ts';
import { loadScenarios, runScenarios, type ScenarioReport } from './runner.ts';

/** The modes the suite runs in. */
export const EVAL_MODES = ['routed', 'scripted'] as const;

/** A mode. */
export type EvalMode = (typeof EVAL_MODES)[number];

/** One mode's outcome. */
export interface ModeReport {
  readonly mode: EvalMode;
  readonly passed: number;
  readonly total: number;
  readonly passRate: number;
  readonly failures: readonly { readonly id: string; readonly problems: readonly string[] }[];
  readonly durationMs: number;
}

/** Runs the suite; `ids` picks scenarios (an unknown id is `unknown_scenario`). */
export async function evaluateSupport(options: {
  readonly modes: readonly EvalMode[];
  readonly ids?: readonly string[];
}): Promise<ModeReport[]> {
  const all = await loadScenarios();
  const unknown = (options.ids ?? []).filter((id) => !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0)
    throw new InvalidRequestError('unknown_scenario', `No scenario is named ${unknown.join(', ')}.`);
  const scenarios = options.ids ? all.filter((scenario) => options.ids?.includes(scenario.id)) : all;
  const reports: ModeReport[] = [];
  for (const mode of options.modes) {
    const started = performance.now();
    const report =
      mode === 'routed'
        ? await runRouted(scenarios)
        : await runScriptedScenarios(scenarios, { tenantId: 'demo' });
    const passed = report.results.filter((result) => result.passed).length;
    reports.push({
      mode,
      passed,
      total: report.results.length,
      passRate: report.passRate,
      failures: report.results
        .filter((result) => !result.passed)
        .map((result) => ({ id: result.id, problems: result.problems })),
      durationMs: Math.round(performance.now() - started),
    });
  }
  return reports;
}

async function runRouted(scenarios: Awaited<ReturnType<typeof loadScenarios>>): Promise<ScenarioReport> {
  const db = await openDatabase({ dataDir: 'memory://' });
  try {
    await seedSupportStore(db, { tenantId: 'demo' });
    return await runScenarios(db, scenarios, { tenantId: 'demo' });
  } finally {
    await db.close();
  }
}
