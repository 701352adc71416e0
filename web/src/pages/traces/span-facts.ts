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

/** A span's cost in USD, when an attribute carries one (no span does yet; the answer log does). */
export function costOf(span: Span): number | null {
  for (const [name, value] of Object.entries(span.attributes)) {
    if (/cost/i.test(name) && typeof value === 'number') return value;
  }
  return null;
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
