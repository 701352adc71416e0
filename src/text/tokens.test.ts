import fc from 'fast-check';
import { countTokens } from 'gpt-tokenizer/encoding/cl100k_base';
import { describe, expect, it } from 'vitest';
import { countTextTokens } from './tokens.ts';

describe('countTextTokens', () => {
  it('counts text without long runs exactly as the tokenizer does', () => {
    const word = fc.stringMatching(/^[A-Za-z0-9À-ÿ.,;:!?'"()-]{1,40}$/);
    const space = fc.constantFrom(' ', '  ', '\n', '\n\n', '\t');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, space), { maxLength: 60 }), (parts) => {
        const text = parts.map(([w, s]) => w + s).join('');
        expect(countTextTokens(text)).toBe(countTokens(text));
      }),
      { numRuns: 200, seed: 7 },
    );
  });

  it('counts a run of a million characters (it used to take hours) close to the exact rate', () => {
    // The exact count of one letter repeated is one token per 8 letters; slicing costs at most one
    // token per 200-character slice.
    const run = 'x'.repeat(1_000_000);
    const counted = countTextTokens(run);
    expect(counted).toBeGreaterThanOrEqual(125_000);
    expect(counted).toBeLessThanOrEqual(125_000 + 1_000_000 / 200);
    expect(countTextTokens(' '.repeat(100_000))).toBeGreaterThan(0);
  });

  it('counts the prose around a long run as the tokenizer does', () => {
    const before = 'The refund arrives within five business days. ';
    const after = ' Contact support if it does not.';
    const blob = 'QUJD'.repeat(2_000);
    const counted = countTextTokens(`${before}${blob}${after}`);
    expect(counted).toBe(countTokens(before) + countTextTokens(blob) + countTokens(after));
    expect(countTextTokens(blob)).toBe(40 * countTokens(blob.slice(0, 200)));
  });
});
