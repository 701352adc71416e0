/**
 * @module support/verification/metrics
 * The verification counters, registered in the app's own metrics registry (so they are scraped from
 * `/metrics` with the product's) once per registry, however many support services share it.
 */
import { Counter, type Registry } from 'prom-client';
import type { VerificationDimension } from './limits.ts';

/** What the verification guard counts. */
export interface VerificationMetrics {
  /** `{dimension}`: a failed verification, once for each dimension it was charged to. */
  readonly failures: Pick<Counter<'dimension'>, 'inc'>;
  /** `{dimension}`: a subject that just got locked. */
  readonly lockouts: Pick<Counter<'dimension'>, 'inc'>;
  /** A customer tried from several conversations or sessions (the guessing alarm). */
  readonly guessingAlerts: Pick<Counter, 'inc'>;
}

function counter<L extends string>(registry: Registry, name: string, help: string, labels: L[]): Counter<L> {
  const existing = registry.getSingleMetric(name);
  if (existing) return existing as Counter<L>;
  return new Counter({ name, help, labelNames: labels, registers: [registry] });
}

/** The counters in `registry` (created on first use). */
export function verificationMetrics(registry: Registry): VerificationMetrics {
  return {
    failures: counter<'dimension'>(
      registry,
      'groundwork_verification_failures_total',
      'Failed customer verifications, by the dimension charged (conversation, session, key, customer).',
      ['dimension'],
    ),
    lockouts: counter<'dimension'>(
      registry,
      'groundwork_verification_lockouts_total',
      'Verification lockouts, by dimension.',
      ['dimension'],
    ),
    guessingAlerts: counter(
      registry,
      'groundwork_verification_guessing_alerts_total',
      'Customers whose verification was tried from several conversations or sessions.',
      [],
    ),
  };
}

/** Counters that count nowhere, for a guard built without a registry (tools in tests). */
export const NO_VERIFICATION_METRICS: VerificationMetrics = {
  failures: { inc: () => {} },
  lockouts: { inc: () => {} },
  guessingAlerts: { inc: () => {} },
};

/** The dimensions, for callers that increment per dimension. */
export type { VerificationDimension };
