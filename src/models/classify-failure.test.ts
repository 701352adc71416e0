import { describe, expect, it } from 'vitest';
import { GroundworkError } from '../errors.ts';
import { classifyFailure } from './classify-failure.ts';

describe('classifyFailure of local-model errors', () => {
  it('retries a retryable GroundworkError (an overloaded local model) as unavailable', () => {
    const overloaded = new GroundworkError({ code: 'model_overloaded', message: 'busy', retryable: true });
    expect(classifyFailure(overloaded, false)).toEqual({ kind: 'unavailable', retryable: true });
  });

  it('passes a non-retryable GroundworkError (a corrupt model file) through untouched', () => {
    const corrupt = new GroundworkError({ code: 'model_load_failed', message: 'corrupt' });
    expect(classifyFailure(corrupt, false)).toEqual({ kind: 'unknown', retryable: false });
  });
});
