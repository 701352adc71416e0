import { describe, expect, it } from 'vitest';
import { buildLines, buildParagraphs, type PositionedText } from './pdf-layout.ts';

function item(str: string, x: number, y: number, size = 10): PositionedText {
  return {
    str,
    transform: [size, 0, 0, size, x, y],
    width: str.length * size * 0.5,
    height: size,
    hasEOL: false,
  };
}

describe('tables in PDF text', () => {
  it('rebuilds rows whose cells wrap, with the first cell centred beside the wrapped one', () => {
    // As fpdf2 writes a table: a row's first cell, then its second cell line by line.
    const paragraphs = buildParagraphs(
      buildLines([
        item('Intro paragraph set in the body text of the page.', 60, 560),
        item('Code', 60, 521, 14),
        item('Meaning', 163, 521, 14),
        item('E1', 60, 479, 14),
        item('No power on the R wire; check the', 163, 493, 14),
        item('furnace door switch', 163, 465, 14),
        item('E2', 60, 437, 14),
        item('Wi-Fi connection lost', 163, 437, 14),
        item('Blinking', 60, 409, 14),
        item('orange', 60, 381, 14),
        item('Updating firmware', 163, 395, 14),
        item('Troubleshooting the device after the table', 60, 330, 14),
      ]),
    );
    expect(paragraphs.map((paragraph) => [paragraph.text, !!paragraph.table])).toEqual([
      ['Intro paragraph set in the body text of the page.', false],
      [
        'Code | Meaning\nE1 | No power on the R wire; check the furnace door switch\nE2 | Wi-Fi connection lost\nBlinking orange | Updating firmware',
        true,
      ],
      ['Troubleshooting the device after the table', false],
    ]);
  });

  it('keeps two columns of prose as prose', () => {
    const left = [
      'The first column of an article runs',
      'down the page in long lines of',
      'ordinary running text here.',
    ];
    const right = [
      'while the second column holds other',
      'sentences that continue the story',
      'until the page ends.',
    ];
    const lines = buildLines(
      left.flatMap((text, index) => [
        item(text, 60, 700 - index * 12),
        item(right[index]!, 320, 700 - index * 12),
      ]),
    );
    expect(buildParagraphs(lines).some((paragraph) => paragraph.table)).toBe(false);
  });
});
