import { describe, expect, it } from 'vitest';
import { diffLines } from '../../web/src/pages/prompts/line-diff.ts';

describe('diffLines', () => {
  it('keeps common lines and marks the changed one as removed then added', () => {
    expect(diffLines('a\nb\nc', 'a\nB\nc')).toEqual([
      { kind: 'same', text: 'a' },
      { kind: 'removed', text: 'b' },
      { kind: 'added', text: 'B' },
      { kind: 'same', text: 'c' },
    ]);
  });

  it('handles lines added at the end and removed at the start', () => {
    expect(diffLines('x\na', 'a\ny').map((line) => `${line.kind}:${line.text}`)).toEqual([
      'removed:x',
      'same:a',
      'added:y',
    ]);
  });

  it('says nothing changed for equal texts', () => {
    expect(diffLines('one\ntwo', 'one\ntwo').every((line) => line.kind === 'same')).toBe(true);
  });
});
