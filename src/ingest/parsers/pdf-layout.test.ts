import { describe, expect, it } from 'vitest';
import { buildLines, buildParagraphs, joinLines, type PositionedText } from './pdf-layout.ts';
import { parsePdfDate } from './pdf-metadata.ts';

function item(str: string, x: number, y: number, size = 10, hasEOL = false): PositionedText {
  return { str, transform: [size, 0, 0, size, x, y], width: str.length * size * 0.5, height: size, hasEOL };
}

describe('buildLines', () => {
  it('joins items on one baseline, spacing them where there is a gap, and keeps superscripts inline', () => {
    const lines = buildLines([
      item('Andreas Gal', 100, 700),
      item('*', 156, 704, 7),
      item(', Brendan', 160, 700),
      item('Eich', 210, 700, 10, true),
      item('Next line', 100, 688),
    ]);
    expect(lines.map((line) => line.text)).toEqual(['Andreas Gal*, Brendan Eich', 'Next line']);
    expect(lines[0]?.fontSize).toBe(10);
  });

  it('drops control characters left by broken font encodings', () => {
    expect(buildLines([item('a\u0003b', 0, 0)])[0]?.text).toBe('a b');
  });
});

describe('buildParagraphs', () => {
  const body = (texts: string[], startY: number, spacing = 12) =>
    texts.map((text, index) => ({ text, x: 72, y: startY - index * spacing, right: 500, fontSize: 10 }));

  it('starts a paragraph after a larger gap, at a size change and at a bullet', () => {
    const lines = [
      { text: 'Big title', x: 72, y: 760, right: 300, fontSize: 18 },
      ...body(['First paragraph line one', 'line two.'], 730),
      ...body(['Second paragraph after a gap.', '• a bullet item'], 690),
    ];
    expect(buildParagraphs(lines).map((paragraph) => [paragraph.text, paragraph.bullet])).toEqual([
      ['Big title', false],
      ['First paragraph line one line two.', false],
      ['Second paragraph after a gap.', false],
      ['• a bullet item', true],
    ]);
  });
});

describe('joinLines', () => {
  it('undoes end-of-line hyphenation, keeping the hyphen of compounds split before a capital', () => {
    expect(joinLines(['type spe-', 'cialization'])).toBe('type specialization');
    expect(joinLines(['Just-in-', 'Time'])).toBe('Just-in-Time');
    expect(joinLines(['costs 5 -', 'or less'])).toBe('costs 5 - or less');
  });
});

describe('parsePdfDate', () => {
  it('reads PDF dates with and without time zones', () => {
    expect(parsePdfDate("D:20090401163925-07'00'")).toBe('2009-04-01T16:39:25-07:00');
    expect(parsePdfDate('D:20230810150707Z')).toBe('2023-08-10T15:07:07Z');
    expect(parsePdfDate('D:2021')).toBe('2021-01-01T00:00:00Z');
    expect(parsePdfDate('yesterday')).toBeUndefined();
  });
});
