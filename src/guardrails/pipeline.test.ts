import { describe, expect, it } from 'vitest';
import { createLogger } from '../observability/logger.ts';
import type { Guardrail } from '../spec/guardrails.ts';
import { DecisionCounter } from './decision-counter.ts';
import { GuardrailPipeline } from './pipeline.ts';

const upper: Guardrail = {
  name: 'upper',
  stages: ['input'],
  check: (text) => ({ action: 'redact', code: 'upper', reason: 'shouted', redactedText: text.toUpperCase() }),
};
const blockFoo: Guardrail = {
  name: 'no-foo',
  stages: ['input', 'output'],
  check: (text) =>
    text.includes('FOO')
      ? { action: 'block', code: 'guardrail_foo', reason: 'foo' }
      : { action: 'allow', code: 'ok', reason: 'fine' },
};
const broken: Guardrail = {
  name: 'broken',
  stages: ['output'],
  check: () => {
    throw new Error('boom');
  },
};

describe('guardrail pipeline', () => {
  it('reports a failing guardrail on the scrubbing logger by default, not on the console', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = createLogger({
      level: 'info',
      destination: { write: (line) => lines.push(JSON.parse(line)) },
    });
    const leaky: Guardrail = {
      name: 'leaky',
      stages: ['output'],
      check: (text) => {
        throw new Error(`cannot check "${text}"`);
      },
    };
    const pipeline = new GuardrailPipeline([leaky], { counter: new DecisionCounter(), logger });
    const outcome = await pipeline.run('Mail ana@example.com the refund.', {
      stage: 'output',
      tenantId: 't',
    });
    expect(outcome.stopped).toMatchObject({ code: 'guardrail_error', guardrail: 'leaky' });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      guardrail: 'leaky',
      msg: 'Guardrail leaky failed; blocking (fail closed).',
    });
    expect(JSON.stringify(lines)).not.toContain('ana@example.com');
  });

  it('runs a stage in order, hands redactions on, and stops at a block', async () => {
    const counter = new DecisionCounter();
    const pipeline = new GuardrailPipeline([upper, blockFoo], { counter });
    const passed = await pipeline.run('bar', { stage: 'input', tenantId: 't' });
    expect(passed.text).toBe('BAR');
    expect(passed.stopped).toBeUndefined();
    const stopped = await pipeline.run('foo', { stage: 'input', tenantId: 't' });
    expect(stopped.stopped).toMatchObject({ guardrail: 'no-foo', code: 'guardrail_foo', stage: 'input' });
    expect(counter.total('block')).toBe(1);
    expect(counter.total()).toBe(4);
    expect(pipeline.has('passage')).toBe(false);
  });

  it('fails closed when a guardrail throws, and logs it', async () => {
    const errors: string[] = [];
    const pipeline = new GuardrailPipeline([broken, blockFoo], {
      counter: new DecisionCounter(),
      onError: (_error, name) => errors.push(name),
    });
    const outcome = await pipeline.run('anything', { stage: 'output', tenantId: 't' });
    expect(outcome.stopped).toMatchObject({ action: 'block', code: 'guardrail_error', guardrail: 'broken' });
    expect(outcome.decisions).toHaveLength(1);
    expect(errors).toEqual(['broken']);
  });
});
