import { describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import { checkTemplate, type PromptVariable, renderTemplate } from './template.ts';

const variables: PromptVariable[] = [
  { name: 'question', type: 'string' },
  { name: 'limit', type: 'number' },
];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return GroundworkError.isInstance(error) ? error.code : 'not a GroundworkError';
  }
}

describe('prompt templates', () => {
  it('renders declared variables in one pass, leaving braces inside values alone', () => {
    const template = 'Q: {{question}} (top {{ limit }}) {{question}}';
    expect(renderTemplate(template, variables, { question: 'a {{limit}} b', limit: 3 })).toBe(
      'Q: a {{limit}} b (top 3) a {{limit}} b',
    );
    expect(renderTemplate('no variables {x}', [], {})).toBe('no variables {x}');
  });

  it('fails with a stable code for missing, unknown and mistyped values', () => {
    const template = '{{question}} {{limit}}';
    expect(codeOf(() => renderTemplate(template, variables, { question: 'q' }))).toBe(
      'prompt_variable_missing',
    );
    expect(codeOf(() => renderTemplate(template, variables, { question: 'q', limit: 1, extra: 'x' }))).toBe(
      'prompt_variable_unknown',
    );
    expect(codeOf(() => renderTemplate(template, variables, { question: 'q', limit: '1' }))).toBe(
      'prompt_variable_type',
    );
  });

  it('checks that a template and its declarations agree', () => {
    expect(codeOf(() => checkTemplate('{{question}} {{limit}}', variables))).toBeUndefined();
    expect(codeOf(() => checkTemplate('{{question}} {{other}}', variables))).toBe(
      'prompt_variable_undeclared',
    );
    expect(codeOf(() => checkTemplate('{{question}}', variables))).toBe('prompt_variable_unused');
    expect(codeOf(() => checkTemplate('{{question}}', [variables[0]!, variables[0]!]))).toBe(
      'prompt_variable_duplicate',
    );
  });
});
