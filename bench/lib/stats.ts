/**
 * @module bench/lib/stats
 * Percentiles, medians and a machine description for benchmark reports.
 */
import os from 'node:os';

/** The p-th percentile (0–100) by nearest rank of a sample. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((left, right) => left - right);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] as number;
}

/** The median of a sample. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** One line saying what machine and runtime produced the numbers. */
export function describeMachine(): string {
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  return `${os.availableParallelism()} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${os.platform()} ${os.release()}`;
}

/** Deterministic pseudo-random numbers, so benchmark corpora are the same every run. */
export { seededRandom } from '../../src/testing/seeded-random.ts';
