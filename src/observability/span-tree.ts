/**
 * @module observability/span-tree
 * A trace's flat span rows as the tree an operator reads: each span with its children, in start
 * order. A span whose parent was not stored (dropped, or not yet written) is shown as a root rather
 * than lost.
 */
import type { SpanRow } from '../store/traces.ts';
import { COST_ATTRIBUTE } from './span-cost.ts';

/** A span with its children; times as ISO strings and milliseconds. */
export interface SpanNode {
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  readonly kind: string;
  readonly status: SpanRow['status'];
  readonly startedAt: string;
  readonly durationMs: number;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly events: readonly unknown[];
  /** The model call's cost in USD (`groundwork.cost.usd`); null for other spans and unpriced models. */
  readonly costUsd: number | null;
  readonly children: SpanNode[];
}

/** Nests `spans` (already in start order) under their parents. */
export function buildSpanTree(spans: readonly SpanRow[]): SpanNode[] {
  const nodes = new Map<string, SpanNode>();
  for (const span of spans) {
    const cost = span.attributes[COST_ATTRIBUTE];
    nodes.set(span.spanId, {
      spanId: span.spanId,
      parentSpanId: span.parentSpanId,
      name: span.name,
      kind: span.kind,
      status: span.status,
      startedAt: new Date(Math.round(span.startedAt)).toISOString(),
      durationMs: span.durationMs,
      attributes: span.attributes,
      events: span.events,
      costUsd: typeof cost === 'number' ? cost : null,
      children: [],
    });
  }
  const roots: SpanNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentSpanId ? nodes.get(node.parentSpanId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}
