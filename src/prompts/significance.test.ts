import { describe, expect, it } from 'vitest';
import { median, normalCdf, studentTTwoSided, twoProportionZTest, welchTTest } from './significance.ts';

/** P(|T| ≥ t) by integrating Student's t density numerically (Simpson), as an independent check. */
function integratedTwoSided(t: number, df: number): number {
  const density = (x: number) => (1 + (x * x) / df) ** (-(df + 1) / 2);
  const simpson = (from: number, to: number, steps: number) => {
    const h = (to - from) / steps;
    let sum = density(from) + density(to);
    for (let index = 1; index < steps; index++) sum += density(from + index * h) * (index % 2 === 1 ? 4 : 2);
    return (sum * h) / 3;
  };
  const total = simpson(-2000, 2000, 400_000);
  return 1 - simpson(-Math.abs(t), Math.abs(t), 20_000) / total;
}

describe('significance tests', () => {
  it('has the normal CDF of the tables', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalCdf(3)).toBeCloseTo(0.9986501, 6);
  });

  it('has the two-sided t quantiles of the tables', () => {
    expect(studentTTwoSided(12.706205, 1)).toBeCloseTo(0.05, 5);
    expect(studentTTwoSided(2.228139, 10)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSided(2.085963, 20)).toBeCloseTo(0.05, 6);
    expect(studentTTwoSided(2.84534, 20)).toBeCloseTo(0.01, 6);
    expect(studentTTwoSided(1.959964, 1e6)).toBeCloseTo(0.05, 4);
    expect(studentTTwoSided(0, 7)).toBeCloseTo(1, 10);
    // Fractional degrees of freedom, as Welch's test produces.
    expect(studentTTwoSided(1.897367, 5.882353)).toBeCloseTo(integratedTwoSided(1.897367, 5.882353), 5);
  });

  it('computes the two-proportion z-test by hand', () => {
    // 60/100 vs 50/100: pooled p = 0.55, SE = √(0.55·0.45·0.02) = 0.0703562, z = −1.421338, p = 0.155218.
    const test = twoProportionZTest(60, 100, 50, 100);
    expect(test.difference).toBeCloseTo(-0.1, 12);
    expect(test.z).toBeCloseTo(-1.421338, 5);
    expect(test.pValue).toBeCloseTo(0.155218, 5);
    expect(test.assumptionsMet).toBe(true);
    expect(twoProportionZTest(2, 10, 4, 10).assumptionsMet).toBe(false);
    expect(twoProportionZTest(0, 0, 4, 10).pValue).toBeNull();
    expect(twoProportionZTest(10, 10, 20, 20).pValue).toBeNull();
  });

  it('computes Welch’s t and degrees of freedom by hand', () => {
    // Means 3 and 6, variances 2.5 and 10: SE² = 0.5 + 2 = 2.5, t = 3/√2.5 = 1.897367,
    // df = 2.5² / (0.5²/4 + 2²/4) = 5.882353.
    const test = welchTTest([1, 2, 3, 4, 5], [2, 4, 6, 8, 10]);
    expect(test.t).toBeCloseTo(1.897367, 6);
    expect(test.degreesOfFreedom).toBeCloseTo(5.882353, 6);
    expect(test.pValue).toBeCloseTo(integratedTwoSided(1.897367, 5.882353), 5);
    expect(test.pValue!).toBeGreaterThan(0.1);
    expect(test.pValue!).toBeLessThan(0.11);
    expect(welchTTest([1], [2, 3]).pValue).toBeNull();
    expect(welchTTest([1, 1], [1, 1]).pValue).toBeNull();
  });

  it('takes medians', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });
});
