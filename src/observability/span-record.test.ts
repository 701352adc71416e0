import { BasicTracerProvider, type ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { describe, expect, it } from 'vitest';
import { toRows } from './span-record.ts';

const tracer = new BasicTracerProvider().getTracer('span-record-test');

describe('toRows', () => {
  it('stores a run of identical events once with its count, and keeps events that differ', () => {
    const span = tracer.startSpan('guardrails.passages');
    const allow = { 'guardrail.name': 'indirect-injection', 'guardrail.action': 'allow' };
    for (let passage = 0; passage < 3; passage++) span.addEvent('guardrail.decision', allow);
    span.addEvent('guardrail.decision', {
      'guardrail.name': 'indirect-injection',
      'guardrail.action': 'block',
    });
    span.addEvent('guardrail.decision', allow);
    // Identical once scrubbed: stored as one, counted twice, with neither address in it.
    span.addEvent('note', { text: 'write to ana@example.com' });
    span.addEvent('note', { text: 'write to bob@example.com' });
    span.end();
    const [row] = toRows([{ span: span as unknown as ReadableSpan, scope: { sink: null } }], 'default').spans;
    const events = (row?.events ?? []) as {
      name: string;
      repeated?: number;
      attributes: Record<string, unknown>;
    }[];
    expect(events.map((event) => [event.name, event.attributes['guardrail.action'], event.repeated])).toEqual(
      [
        ['guardrail.decision', 'allow', 3],
        ['guardrail.decision', 'block', undefined],
        ['guardrail.decision', 'allow', undefined],
        ['note', undefined, 2],
      ],
    );
    expect(JSON.stringify(events)).not.toMatch(/ana@|bob@/);
  });
});
