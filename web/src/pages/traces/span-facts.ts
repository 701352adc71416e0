/** What the trace pages read out of spans: timings, tokens (GenAI conventions) and cost. */
import type { Span } from '../../api/traces.ts';

/** `0.4` → `0.4 ms`, `1534` → `1.53 s`. */
export function formatMs(ms: number): string {
  if (ms < 1) return `${ms.toFixed(2)} ms`;
  if (ms < 1000) return `${Math.round(ms)} ms`;
  return `${(ms / 1000).toFixed(2)} s`;
}

/** A span's token counts, when it called a model. */
export function tokensOf(span: Span): { input: number; output: number } | null {
  const input = span.attributes['gen_ai.usage.input_tokens'];
  const output = span.attributes['gen_ai.usage.output_tokens'];
  if (typeof input !== 'number' && typeof output !== 'number') return null;
  return { input: Number(input ?? 0), output: Number(output ?? 0) };
}

/** A model call's cost in USD, priced as it ended; null for other spans and unpriced models. */
export function costOf(span: Span): number | null {
  return span.costUsd ?? null;
}

/** `0.0045` → `$0.0045`, `0.0000123` → `$0.000012`, `12.3` → `$12.30`: small costs keep two digits. */
export function formatCost(usd: number): string {
  if (usd === 0) return '$0';
  if (Math.abs(usd) >= 1) return `$${usd.toFixed(2)}`;
  return `$${usd.toPrecision(2)}`;
}

/** A trace's cost, marked as a lower bound when some of its model calls had no price. */
export function traceCost(trace: { costUsd: number; unpricedModelCalls: number }): string {
  return trace.unpricedModelCalls > 0 ? `≥ ${formatCost(trace.costUsd)}` : formatCost(trace.costUsd);
}

/** One row of the waterfall. */
export interface WaterfallRow {
  readonly span: Span;
  readonly depth: number;
  /** Milliseconds from the trace's first span. */
  readonly offsetMs: number;
}

/** The tree as rows in start order, children under their parent, and the trace's extent. */
export function waterfall(spans: readonly Span[]): { rows: WaterfallRow[]; totalMs: number } {
  const all: { span: Span; depth: number }[] = [];
  const visit = (list: readonly Span[], depth: number) => {
    const sorted = [...list].sort((a, b) => Date.parse(a.startedAt) - Date.parse(b.startedAt));
    for (const span of sorted) {
      all.push({ span, depth });
      visit(span.children, depth + 1);
    }
  };
  visit(spans, 0);
  const origin = Math.min(...all.map(({ span }) => Date.parse(span.startedAt)));
  const end = Math.max(...all.map(({ span }) => Date.parse(span.startedAt) + span.durationMs));
  return {
    rows: all.map(({ span, depth }) => ({ span, depth, offsetMs: Date.parse(span.startedAt) - origin })),
    totalMs: Math.max(end - origin, 1),
  };
}
