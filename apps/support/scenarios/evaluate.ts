/**
 * @module support/scenarios/evaluate
 * The scenario suite in one or more modes, each on its own freshly seeded in-memory database:
 * `routed` is the no-LLM policy, `scripted` the agent runtime with the scenario double as the model,
 * `local` the agent runtime on the local chat model (Gemma 3 270M, JSON-schema-constrained tool
 * calls), which must be installed.
 */
import { InvalidRequestError } from '../../../src/errors.ts';
import { resolveLocalChatModel } from '../../../src/models/local/local-chat-model.ts';
import { openDatabase } from '../../../src/store/open.ts';
import { seedSupportStore } from '../store/seed.ts';
import { runModelScenarios, runScriptedScenarios } from './run-scripted.ts';
import { loadScenarios, runScenarios, type ScenarioReport, type ScenarioResult } from './runner.ts';

/** The modes the suite runs in. */
export const EVAL_MODES = ['routed', 'scripted', 'local'] as const;

/** The modes `all` runs: the local model is slow on a CPU and optional, so it is asked for by name. */
export const DEFAULT_EVAL_MODES: readonly EvalMode[] = ['routed', 'scripted'];

/** The local chat model the `local` mode runs on. */
export const LOCAL_EVAL_MODEL = 'gemma-3-270m';

/**
 * A turn's budget in the `local` mode. A turn is several model steps, each a prompt of 1,500+ tokens
 * evaluated on the CPU; under the runtime's 60 s default a busy two-core machine stops most turns
 * before the model has decided anything, and the suite would measure the CPU, not the model.
 */
export const LOCAL_TURN_BUDGET_MS = 600_000;

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
  /**
   * Only `limit` scenarios (after `ids`), spread evenly over the suite so that every topic keeps its
   * share (the file is ordered by topic; the first n would all be FAQs).
   */
  readonly limit?: number;
  /** Called after each scenario (the local mode takes minutes; the CLI shows progress). */
  readonly onScenario?: (mode: EvalMode, result: ScenarioResult, index: number, total: number) => void;
}): Promise<ModeReport[]> {
  const all = await loadScenarios();
  const unknown = (options.ids ?? []).filter((id) => !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0)
    throw new InvalidRequestError('unknown_scenario', `No scenario is named ${unknown.join(', ')}.`);
  const picked = options.ids ? all.filter((scenario) => options.ids?.includes(scenario.id)) : all;
  const scenarios = options.limit === undefined ? picked : spread(picked, options.limit);
  const reports: ModeReport[] = [];
  for (const mode of options.modes) {
    const started = performance.now();
    const onScenario = (result: ScenarioResult, index: number) =>
      options.onScenario?.(mode, result, index, scenarios.length);
    const report =
      mode === 'routed'
        ? await runRouted(scenarios)
        : mode === 'scripted'
          ? await runScriptedScenarios(scenarios, { tenantId: 'demo' })
          : await runLocal(scenarios, onScenario);
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

/** The scenarios on the local chat model; a model that is not installed fails with the fix. */
async function runLocal(
  scenarios: Awaited<ReturnType<typeof loadScenarios>>,
  onScenario: (result: ScenarioResult, index: number) => void,
): Promise<ScenarioReport> {
  const model = resolveLocalChatModel(LOCAL_EVAL_MODEL, { setting: '--mode local', env: process.env });
  try {
    await model.load();
    return await runModelScenarios(scenarios, {
      tenantId: 'demo',
      model,
      budgetMs: LOCAL_TURN_BUDGET_MS,
      onScenario,
    });
  } finally {
    await model.dispose();
  }
}

/** `count` items spread evenly over `items` (all of them when there are no more). */
export function spread<T>(items: readonly T[], count: number): T[] {
  if (count >= items.length) return [...items];
  return Array.from({ length: count }, (_, index) => items[Math.floor((index * items.length) / count)]!);
}
