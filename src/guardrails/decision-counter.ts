/**
 * @module guardrails/decision-counter
 * Counts guardrail decisions by stage, guardrail and action, and records each one on the active trace
 * span. The counter is a plain map so the metrics module can read it later without this module
 * depending on a metrics library; the span calls are no-ops until a tracer provider is registered.
 */
import { trace } from '@opentelemetry/api';
import type { RecordedDecision } from '../spec/guardrails.ts';

/** One counter row. */
export interface DecisionCount {
  readonly stage: string;
  readonly guardrail: string;
  readonly action: string;
  readonly code: string;
  readonly count: number;
}

/** Decision counts of this process. */
export class DecisionCounter {
  private readonly counts = new Map<string, number>();

  /** Adds one decision. */
  add(decision: RecordedDecision): void {
    const key = [decision.stage, decision.guardrail, decision.action, decision.code].join('\u0000');
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }

  /** Every row, for a metrics exporter or a report. */
  snapshot(): DecisionCount[] {
    return [...this.counts].map(([key, count]) => {
      const [stage = '', guardrail = '', action = '', code = ''] = key.split('\u0000');
      return { stage, guardrail, action, code, count };
    });
  }

  /** Total decisions with `action` (all stages and guardrails). */
  total(action?: string): number {
    return this.snapshot()
      .filter((row) => !action || row.action === action)
      .reduce((sum, row) => sum + row.count, 0);
  }
}

/** The process-wide counter every pipeline adds to unless it is given its own. */
export const GUARDRAIL_DECISIONS = new DecisionCounter();

/** Records a decision on the active span (allows too, so a trace shows every check that ran). */
export function traceDecision(decision: RecordedDecision): void {
  trace.getActiveSpan()?.addEvent('guardrail.decision', {
    'guardrail.name': decision.guardrail,
    'guardrail.stage': decision.stage,
    'guardrail.action': decision.action,
    'guardrail.code': decision.code,
    'guardrail.reason': decision.reason,
    ...(decision.score !== undefined ? { 'guardrail.score': decision.score } : {}),
    ...(decision.categories?.length ? { 'guardrail.categories': decision.categories.join(',') } : {}),
  });
}
