/**
 * @module evals/answers/baseline
 * The regression gate of `eval answers --baseline <file>`: the run's aggregate metrics against a
 * stored report (the `--json` output of an earlier run). A metric regresses when it moves the wrong
 * way by more than the tolerance (absolute, on the 0–1 scale); metrics only one side has are not
 * compared, and a metric measured on fewer than `minCount` questions on either side is skipped.
 */
import { readFile } from 'node:fs/promises';
import { GroundworkError } from '../../errors.ts';
import type { MetricSummary } from './run-answer-eval.ts';

/** Default tolerance: a drop of more than two points fails. */
export const DEFAULT_TOLERANCE = 0.02;

/** Metrics where lower is better; `abstained` is a rate with no better direction and is not gated. */
const LOWER_IS_BETTER = new Set(['false_abstention']);
const NOT_GATED = new Set(['abstained']);

/** One metric that got worse beyond the tolerance. */
export interface Regression {
  readonly metric: string;
  readonly baseline: number;
  readonly current: number;
  /** How much worse, on the 0–1 scale (positive). */
  readonly drop: number;
}

/** The outcome of a comparison. */
export interface BaselineComparison {
  readonly tolerance: number;
  readonly compared: readonly string[];
  readonly regressions: readonly Regression[];
}

/** Reads a stored report's `aggregate`; `baseline_invalid` when the file is not one. */
export async function readBaseline(file: string): Promise<Record<string, MetricSummary>> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (error) {
    throw new GroundworkError({
      code: 'baseline_invalid',
      message: `The baseline ${file} could not be read as JSON: ${(error as Error).message}`,
      details: { file },
    });
  }
  const aggregate = (parsed as { aggregate?: unknown })?.aggregate;
  const valid =
    typeof aggregate === 'object' &&
    aggregate !== null &&
    Object.values(aggregate).every(
      (summary) => typeof summary?.mean === 'number' && typeof summary?.n === 'number',
    );
  if (!valid) {
    throw new GroundworkError({
      code: 'baseline_invalid',
      message: `The baseline ${file} has no "aggregate" of {mean, n} metrics; store the --json output of eval answers.`,
      details: { file },
    });
  }
  return aggregate as Record<string, MetricSummary>;
}

/** Compares `current` with `baseline`. */
export function compareWithBaseline(
  current: Readonly<Record<string, MetricSummary>>,
  baseline: Readonly<Record<string, MetricSummary>>,
  options: { readonly tolerance?: number; readonly minCount?: number } = {},
): BaselineComparison {
  const tolerance = options.tolerance ?? DEFAULT_TOLERANCE;
  if (!(tolerance >= 0 && tolerance <= 1)) {
    throw new GroundworkError({ code: 'invalid_tolerance', message: '--tolerance must be between 0 and 1.' });
  }
  const minCount = options.minCount ?? 1;
  const compared: string[] = [];
  const regressions: Regression[] = [];
  for (const [metric, before] of Object.entries(baseline)) {
    const now = current[metric];
    if (!now || NOT_GATED.has(metric) || before.n < minCount || now.n < minCount) continue;
    compared.push(metric);
    const drop = LOWER_IS_BETTER.has(metric) ? now.mean - before.mean : before.mean - now.mean;
    // Rounded so a drop of exactly the tolerance passes whatever the floating point says.
    if (Math.round((drop - tolerance) * 1e9) > 0) {
      regressions.push({ metric, baseline: before.mean, current: now.mean, drop });
    }
  }
  return { tolerance, compared, regressions };
}
