import { describe, expect, it } from 'vitest';
import { splitSentences } from './sentences.ts';

describe('splitSentences', () => {
  it('splits on terminal punctuation followed by a capital', () => {
    expect(splitSentences('The router restarts. Wait two minutes! Is the light green? Yes.')).toEqual([
      'The router restarts.',
      'Wait two minutes!',
      'Is the light green?',
      'Yes.',
    ]);
  });

  it('does not split after abbreviations, initials or decimals', () => {
    expect(splitSentences('See e.g. Fig. 3 by J. Smith. Version 2.5 is out.')).toEqual([
      'See e.g. Fig. 3 by J. Smith.',
      'Version 2.5 is out.',
    ]);
  });

  it('treats a line break after punctuation as a boundary and keeps closing quotes', () => {
    expect(splitSentences('He said "stop." Then left.\nnext line')).toEqual([
      'He said "stop."',
      'Then left.',
      'next line',
    ]);
  });

  it('returns the text whole when there is no boundary', () => {
    expect(splitSentences('no punctuation here')).toEqual(['no punctuation here']);
    expect(splitSentences('   ')).toEqual([]);
  });
});
