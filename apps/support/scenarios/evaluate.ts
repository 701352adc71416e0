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
import { type Baseline, type BaselineComparison, compareWithBaseline } from './baseline.ts';
import { runScenarios } from './run-routed.ts';
import { runModelScenarios, runScriptedScenarios } from './run-scripted.ts';
import { loadScenarios, type ScenarioReport, type ScenarioResult } from './runner.ts';
import { categoryOf, type Scenario } from './scenario.ts';

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

/** Pass counts of one category. */
export interface CategoryReport {
  readonly passed: number;
  readonly total: number;
  readonly passRate: number;
}

/** One mode's outcome. */
export interface ModeReport {
  readonly mode: EvalMode;
  readonly passed: number;
  readonly total: number;
  readonly passRate: number;
  /** Per scenario category, sorted by name. */
  readonly categories: Readonly<Record<string, CategoryReport>>;
  /** The ids that passed (what `--update-baseline` records). */
  readonly passing: readonly string[];
  readonly failures: readonly {
    readonly id: string;
    readonly category: string;
    readonly problems: readonly string[];
  }[];
  /** How the run compares with the checked-in baseline (full runs of a baseline mode only). */
  readonly baseline?: BaselineComparison;
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
  /** Compared with full runs (no `ids`, no `limit`) of the modes it lists. */
  readonly baseline?: Baseline;
}): Promise<ModeReport[]> {
  const all = await loadScenarios();
  const unknown = (options.ids ?? []).filter((id) => !all.some((scenario) => scenario.id === id));
  if (unknown.length > 0)
    throw new InvalidRequestError('unknown_scenario', `No scenario is named ${unknown.join(', ')}.`);
  const picked = options.ids ? all.filter((scenario) => options.ids?.includes(scenario.id)) : all;
  const chosen = options.limit === undefined ? picked : spread(picked, options.limit);
  const full = options.ids === undefined && options.limit === undefined;
  const reports: ModeReport[] = [];
  for (const mode of options.modes) {
    // A scenario may be limited to some modes (what an operator or a scripted model can express).
    const scenarios = chosen.filter((scenario) => scenario.modes?.includes(mode) ?? true);
    const started = performance.now();
    const onScenario = (result: ScenarioResult, index: number) =>
      options.onScenario?.(mode, result, index, scenarios.length);
    const report =
      mode === 'routed'
        ? await runRouted(scenarios)
        : mode === 'scripted'
          ? await runScriptedScenarios(scenarios, { tenantId: 'demo' })
          : await runLocal(scenarios, onScenario);
    const listed = mode === 'local' ? undefined : options.baseline?.[mode];
    reports.push({
      ...summarise(mode, scenarios, report),
      ...(full && listed ? { baseline: compareWithBaseline(report.results, listed) } : {}),
      durationMs: Math.round(performance.now() - started),
    });
  }
  return reports;
}

/** A mode's counts, per category, and its failures. */
function summarise(
  mode: EvalMode,
  scenarios: readonly Scenario[],
  report: ScenarioReport,
): Omit<ModeReport, 'durationMs' | 'baseline'> {
  const category = new Map(scenarios.map((scenario) => [scenario.id, categoryOf(scenario)]));
  const counts: Record<string, { passed: number; total: number }> = {};
  for (const result of report.results) {
    const name = category.get(result.id) ?? 'unknown';
    counts[name] ??= { passed: 0, total: 0 };
    const entry = counts[name]!;
    entry.total++;
    if (result.passed) entry.passed++;
  }
  const categories = Object.fromEntries(
    Object.entries(counts)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([name, { passed, total }]) => [name, { passed, total, passRate: passed / total }]),
  );
  const passing = report.results.filter((result) => result.passed).map((result) => result.id);
  return {
    mode,
    passed: passing.length,
    total: report.results.length,
    passRate: report.passRate,
    categories,
    passing,
    failures: report.results
      .filter((result) => !result.passed)
      .map((result) => ({
        id: result.id,
        category: category.get(result.id) ?? 'unknown',
        problems: result.problems,
      })),
  };
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
