/**
 * @module prompts/experiment-results
 * An experiment's outcomes per arm, from the answer log and feedback, and each arm compared with the
 * control (the first arm): positive-feedback rate (of rated answers), feedback rate (rated of all),
 * grounded-answer rate (generative with at least one valid citation), latency (p50, mean), tokens and
 * cost. Rates are compared with a two-proportion z-test, latency with Welch's t-test; see
 * significance.ts for what each assumes. Latencies are read into memory, which suits experiments of up
 * to some hundred thousand answers.
 */
import type { SqlExecutor } from '../store/database.ts';
import { type ArmCounts, armCounts, armLatencies, type ExperimentRow } from '../store/experiments.ts';
import {
  type MeanTest,
  median,
  type ProportionTest,
  twoProportionZTest,
  welchTTest,
} from './significance.ts';

/** One arm's outcomes. */
export interface ArmResult {
  readonly arm: string;
  readonly version: number;
  readonly weight: number;
  readonly answers: number;
  readonly users: number;
  readonly rated: number;
  readonly positive: number;
  readonly grounded: number;
  /** positive / rated; null with no ratings. */
  readonly positiveRate: number | null;
  /** rated / answers. */
  readonly feedbackRate: number | null;
  /** grounded / answers. */
  readonly groundedRate: number | null;
  readonly latencyP50Ms: number | null;
  readonly latencyMeanMs: number | null;
  readonly tokensPerAnswer: number | null;
  readonly costUsd: number;
}

/** One arm against the control. */
export interface ArmComparison {
  readonly arm: string;
  readonly control: string;
  readonly positiveRate: ProportionTest;
  readonly feedbackRate: ProportionTest;
  readonly groundedRate: ProportionTest;
  readonly latency: MeanTest;
}

/** The report. */
export interface ExperimentResults {
  readonly experiment: ExperimentRow;
  readonly arms: readonly ArmResult[];
  readonly comparisons: readonly ArmComparison[];
  readonly notes: readonly string[];
}

const NOTES = [
  'Grounded answer: generative, with at least one citation that matched a retrieved passage.',
  'Rates: two-sided two-proportion z-test against the control arm, pooled variance; it assumes independent answers and n·p ≥ 5 and n·(1−p) ≥ 5 in each arm (see assumptionsMet). Answers of one user share an arm, so p-values are optimistic when users ask many questions.',
  'Latency: two-sided Welch t-test on the mean; p50 is reported alongside.',
];

/** Computes the report of `experiment`. */
export async function experimentResults(
  db: SqlExecutor,
  experiment: ExperimentRow,
): Promise<ExperimentResults> {
  const counts = new Map(
    (await armCounts(db, experiment.tenantId, experiment.id)).map((row) => [row.arm, row]),
  );
  const latencies = await armLatencies(db, experiment.tenantId, experiment.id);
  const empty: ArmCounts = {
    arm: '',
    answers: 0,
    users: 0,
    rated: 0,
    positive: 0,
    grounded: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: 0,
  };
  const arms = experiment.arms.map((arm): ArmResult => {
    const row = counts.get(arm.name) ?? empty;
    const times = latencies.get(arm.name) ?? [];
    const ratio = (part: number, whole: number) => (whole > 0 ? part / whole : null);
    return {
      arm: arm.name,
      version: arm.version,
      weight: arm.weight,
      answers: row.answers,
      users: row.users,
      rated: row.rated,
      positive: row.positive,
      grounded: row.grounded,
      positiveRate: ratio(row.positive, row.rated),
      feedbackRate: ratio(row.rated, row.answers),
      groundedRate: ratio(row.grounded, row.answers),
      latencyP50Ms: times.length > 0 ? median(times) : null,
      latencyMeanMs: times.length > 0 ? times.reduce((sum, time) => sum + time, 0) / times.length : null,
      tokensPerAnswer: ratio(row.inputTokens + row.outputTokens, row.answers),
      costUsd: row.costUsd,
    };
  });
  const [control, ...others] = arms;
  const comparisons = others.map(
    (arm): ArmComparison => ({
      arm: arm.arm,
      control: control!.arm,
      positiveRate: twoProportionZTest(control!.positive, control!.rated, arm.positive, arm.rated),
      feedbackRate: twoProportionZTest(control!.rated, control!.answers, arm.rated, arm.answers),
      groundedRate: twoProportionZTest(control!.grounded, control!.answers, arm.grounded, arm.answers),
      latency: welchTTest(latencies.get(control!.arm) ?? [], latencies.get(arm.arm) ?? []),
    }),
  );
  return { experiment, arms, comparisons, notes: NOTES };
}
