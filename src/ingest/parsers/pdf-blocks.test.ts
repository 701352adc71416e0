import { describe, expect, it } from 'vitest';
import { pagesToBlocks } from './pdf-blocks.ts';
import type { TextParagraph } from './pdf-layout.ts';

const body = (text: string, extra: Partial<TextParagraph> = {}): TextParagraph => ({
  text,
  fontSize: 10,
  lineCount: 2,
  bullet: false,
  ...extra,
});

describe('pagesToBlocks', () => {
  it('joins a sentence that the page break cut, and only such a sentence', () => {
    const blocks = pagesToBlocks([
      { page: 1, paragraphs: [body('Set it up first.'), body('Use a room sensor in the main')] },
      { page: 2, paragraphs: [body('living area as the priority sensor.'), body('A new paragraph.')] },
      { page: 3, paragraphs: [body('Ends a sentence.')] },
      { page: 4, paragraphs: [body('lower case but after a full stop.')] },
    ]);
    expect(blocks.map((block) => [block.text, block.page])).toEqual([
      ['Set it up first.', 1],
      ['Use a room sensor in the main living area as the priority sensor.', 1],
      ['A new paragraph.', 2],
      ['Ends a sentence.', 3],
      ['lower case but after a full stop.', 4],
    ]);
  });

  it('keeps a table a table, even when set larger than the body', () => {
    const blocks = pagesToBlocks([
      {
        page: 1,
        paragraphs: [
          body('Body text of the page, long enough to set the body size of the document.'),
          body('Code | Meaning\nE1 | No power', { fontSize: 14, table: true }),
        ],
      },
    ]);
    expect(blocks.at(-1)).toEqual({ kind: 'table', text: 'Code | Meaning\nE1 | No power', page: 1 });
  });
});
