import { describe, expect, it } from 'vitest';
import type { Span } from '../../web/src/api/traces.ts';
import { costOf, formatCost, tokensOf, traceCost, waterfall } from '../../web/src/pages/traces/span-facts.ts';

const span = (
  id: string,
  startMs: number,
  durationMs: number,
  children: Span[] = [],
  attributes = {},
  costUsd: number | null = null,
): Span => ({
  spanId: id,
  parentSpanId: null,
  name: id,
  kind: 'internal',
  status: 'ok',
  startedAt: new Date(Date.UTC(2026, 10, 27) + startMs).toISOString(),
  durationMs,
  attributes,
  events: [],
  costUsd,
  children,
});

describe('waterfall', () => {
  it('orders spans by start under their parent and measures the trace from its first span', () => {
    const tree = [
      span('root', 0, 40, [span('late', 300, 100), span('early', 10, 50, [span('leaf', 20, 5)])]),
    ];
    const { rows, totalMs } = waterfall(tree);
    expect(rows.map((row) => [row.span.spanId, row.depth, row.offsetMs])).toEqual([
      ['root', 0, 0],
      ['early', 1, 10],
      ['leaf', 2, 20],
      ['late', 1, 300],
    ]);
    // A streamed request's root span can end before its children: the axis covers them all.
    expect(totalMs).toBe(400);
  });

  it('reads GenAI token counts and the span’s cost', () => {
    const model = span(
      'gen_ai.chat',
      0,
      1,
      [],
      {
        'gen_ai.usage.input_tokens': 120,
        'gen_ai.usage.output_tokens': 30,
        'groundwork.cost.usd': 0.002,
      },
      0.002,
    );
    expect(tokensOf(model)).toEqual({ input: 120, output: 30 });
    expect(costOf(model)).toBe(0.002);
    expect(tokensOf(span('retrieve', 0, 1))).toBeNull();
    expect(costOf(span('retrieve', 0, 1))).toBeNull();
  });

  it('formats costs with two significant digits below a dollar, and marks lower bounds', () => {
    expect(formatCost(0)).toBe('$0');
    expect(formatCost(0.0045)).toBe('$0.0045');
    expect(formatCost(0.0000123)).toBe('$0.000012');
    expect(formatCost(12.345)).toBe('$12.35');
    expect(traceCost({ costUsd: 0.0045, unpricedModelCalls: 0 })).toBe('$0.0045');
    expect(traceCost({ costUsd: 0.0045, unpricedModelCalls: 2 })).toBe('≥ $0.0045');
  });
});
