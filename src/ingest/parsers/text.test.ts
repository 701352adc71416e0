import { describe, expect, it } from 'vitest';
import { MEDIA_TYPE } from './media-types.ts';
import { TextParser, textToBlocks } from './text.ts';

describe('textToBlocks', () => {
  it('splits paragraphs on blank lines and keeps line breaks inside them', () => {
    expect(textToBlocks('First line\nsecond line.\r\n\r\n  \nNext paragraph.').blocks).toEqual([
      { kind: 'paragraph', text: 'First line\nsecond line.' },
      { kind: 'paragraph', text: 'Next paragraph.' },
    ]);
  });

  it('takes a short first line without closing punctuation as the title', () => {
    const { title, blocks } = textToBlocks('Return policy\n\nItems can be returned within 30 days.');
    expect(title).toBe('Return policy');
    expect(blocks[0]).toEqual({ kind: 'heading', level: 1, text: 'Return policy' });
  });

  it('accepts an underlined title and rejects sentences or lone lines', () => {
    expect(textToBlocks('Shipping\n========\n\nWe ship daily.').title).toBe('Shipping');
    expect(textToBlocks('This is a sentence.\n\nMore.').title).toBeUndefined();
    expect(textToBlocks('Only one paragraph').title).toBeUndefined();
    expect(textToBlocks('2024-01-01\n\nLog entry').title).toBeUndefined();
  });
});

describe('TextParser', () => {
  it('decodes UTF-16 with a byte-order mark and warns about non-UTF-8 bytes', async () => {
    const parser = new TextParser();
    const utf16 = new Uint8Array([0xff, 0xfe, ...Buffer.from('Hi there', 'utf16le')]);
    const result = await parser.parse({ bytes: utf16, uri: 'a.txt', mediaType: MEDIA_TYPE.text });
    expect(result.documents[0]?.blocks).toEqual([{ kind: 'paragraph', text: 'Hi there' }]);
    const latin = new Uint8Array([...Buffer.from('Caf'), 0xe9, ...Buffer.from('.')]);
    const legacy = await parser.parse({ bytes: latin, uri: 'b.txt', mediaType: MEDIA_TYPE.text });
    expect(legacy.documents[0]?.blocks).toEqual([{ kind: 'paragraph', text: 'Café.' }]);
    expect(legacy.warnings[0]).toMatch(/Windows-1252/);
  });
});
