import { describe, expect, it } from 'vitest';
import { findInvalidText, invalidTextReason, toValidText } from './valid-text.ts';

describe('valid text', () => {
  it('refuses NUL and unpaired surrogates, accepts pairs, emoji and other scripts', () => {
    expect(invalidTextReason('a\u0000b')).toBe('nul');
    expect(invalidTextReason('a\uD800')).toBe('lone-surrogate');
    expect(invalidTextReason('\uDC00a')).toBe('lone-surrogate');
    expect(invalidTextReason('\uDC00\uD800')).toBe('lone-surrogate');
    for (const fine of ['', '😀', '退货 é', '\uD83D\uDE00', '\u0001\u007f', '\uFFFD'])
      expect(invalidTextReason(fine)).toBeUndefined();
  });

  it('finds invalid text in nested values and keys, with its path', () => {
    expect(findInvalidText({ a: [{ b: 'ok' }, { c: 'x\u0000' }] })).toEqual({ path: 'a.1.c', reason: 'nul' });
    expect(findInvalidText({ a: { '\uD800': 1 } })).toEqual({ path: 'a.(key)', reason: 'lone-surrogate' });
    expect(findInvalidText({ a: [1, true, null, 'fine'] })).toBeUndefined();
  });

  it('walks a 100,000-deep value without overflowing the stack', () => {
    let deep: unknown = 'bottom\u0000';
    for (let depth = 0; depth < 100_000; depth++) deep = [deep];
    expect(findInvalidText(deep)?.reason).toBe('nul');
  });

  it('replaces what cannot be stored with U+FFFD', () => {
    expect(toValidText('a\u0000b\uD800c😀')).toBe('a\uFFFDb\uFFFDc😀');
  });
});
