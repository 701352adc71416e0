/**
 * @module prompts/significance
 * The statistics of experiment results, written out so their assumptions are visible: a two-proportion
 * z-test for rates (positive feedback, grounded answers) and Welch's t-test for means (latency). Both
 * are two-sided. The z-test assumes independent samples (one answer per trial; sticky assignment makes
 * a user's answers correlated, so treat p-values as optimistic when users ask many questions) and a
 * normal approximation that needs n·p ≥ 5 and n·(1−p) ≥ 5 in each arm; `assumptionsMet` says whether
 * that holds. Welch's test does not assume equal variances; it assumes independent samples and means
 * that are roughly normal (true for latency means of a few dozen answers or more).
 */

/** Result of a two-proportion z-test. */
export interface ProportionTest {
  readonly rateA: number;
  readonly rateB: number;
  /** rateB − rateA. */
  readonly difference: number;
  readonly z: number;
  /** Two-sided; null when undefined (an empty arm, or every trial the same outcome). */
  readonly pValue: number | null;
  /** n·p ≥ 5 and n·(1−p) ≥ 5 in both arms. */
  readonly assumptionsMet: boolean;
}

/** Result of Welch's t-test. */
export interface MeanTest {
  readonly meanA: number;
  readonly meanB: number;
  /** meanB − meanA. */
  readonly difference: number;
  readonly t: number;
  readonly degreesOfFreedom: number;
  /** Two-sided; null when undefined (fewer than two values in an arm, or no variance). */
  readonly pValue: number | null;
}

/** Two-proportion z-test of `successesA / trialsA` against `successesB / trialsB`, pooled variance. */
export function twoProportionZTest(
  successesA: number,
  trialsA: number,
  successesB: number,
  trialsB: number,
): ProportionTest {
  const rateA = trialsA > 0 ? successesA / trialsA : Number.NaN;
  const rateB = trialsB > 0 ? successesB / trialsB : Number.NaN;
  const pooled = (successesA + successesB) / (trialsA + trialsB);
  const standardError = Math.sqrt(pooled * (1 - pooled) * (1 / trialsA + 1 / trialsB));
  const z = (rateB - rateA) / standardError;
  const enough = (successes: number, trials: number) => successes >= 5 && trials - successes >= 5;
  return {
    rateA,
    rateB,
    difference: rateB - rateA,
    z,
    pValue: Number.isFinite(z) ? 2 * (1 - normalCdf(Math.abs(z))) : null,
    assumptionsMet: enough(successesA, trialsA) && enough(successesB, trialsB),
  };
}

/** Welch's unequal-variances t-test of the means of `a` and `b`. */
export function welchTTest(a: readonly number[], b: readonly number[]): MeanTest {
  const meanA = mean(a);
  const meanB = mean(b);
  const shareA = variance(a, meanA) / a.length;
  const shareB = variance(b, meanB) / b.length;
  const t = (meanB - meanA) / Math.sqrt(shareA + shareB);
  const degreesOfFreedom =
    (shareA + shareB) ** 2 / (shareA ** 2 / (a.length - 1) + shareB ** 2 / (b.length - 1));
  const defined = Number.isFinite(t) && Number.isFinite(degreesOfFreedom) && degreesOfFreedom > 0;
  return {
    meanA,
    meanB,
    difference: meanB - meanA,
    t,
    degreesOfFreedom,
    pValue: defined ? studentTTwoSided(t, degreesOfFreedom) : null,
  };
}

/** Φ(x), the standard normal CDF, from the complementary error function. */
export function normalCdf(x: number): number {
  return 0.5 * erfc(-x / Math.SQRT2);
}

/** P(|T| ≥ |t|) for Student's t with `df` degrees of freedom: I_{df/(df+t²)}(df/2, 1/2). */
export function studentTTwoSided(t: number, df: number): number {
  return regularizedBeta(df / (df + t * t), df / 2, 0.5);
}

/** The sample median (mean of the middle two for an even count); NaN for no values. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

function variance(values: readonly number[], center: number): number {
  return values.reduce((sum, value) => sum + (value - center) ** 2, 0) / (values.length - 1);
}

/** erfc by the Chebyshev fit of Numerical Recipes' `erfcc` (relative error below 1.2e-7). */
function erfc(x: number): number {
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const polynomial =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t *
                      (0.27886807 +
                        t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  const value = t * Math.exp(polynomial);
  return x >= 0 ? value : 2 - value;
}

/** ln Γ(x) by the Lanczos approximation (g = 7, nine coefficients). */
function logGamma(x: number): number {
  const coefficients = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const shifted = x - 1;
  let sum = coefficients[0]!;
  for (let index = 1; index < 9; index++) sum += coefficients[index]! / (shifted + index);
  const base = shifted + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (shifted + 0.5) * Math.log(base) - base + Math.log(sum);
}

/** The regularized incomplete beta I_x(a, b), by its continued fraction (modified Lentz). */
function regularizedBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  // The fraction converges fast only below the mean; above it, use the symmetry I_x(a,b) = 1 − I_{1−x}(b,a).
  if (x > (a + 1) / (a + b + 2)) return 1 - regularizedBeta(1 - x, b, a);
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let fraction = d;
  for (let m = 1; m <= 300; m++) {
    const even = (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m));
    d = 1 + even * d;
    c = 1 + even / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    fraction *= d * c;
    const odd = -((a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1));
    d = 1 + odd * d;
    c = 1 + odd / c;
    d = 1 / (Math.abs(d) < tiny ? tiny : d);
    c = Math.abs(c) < tiny ? tiny : c;
    const step = d * c;
    fraction *= step;
    if (Math.abs(step - 1) < 1e-12) break;
  }
  return (front * fraction) / a;
}
