import { describe, expect, it } from 'vitest';
import type { ParserOptions } from '../../spec/parser.ts';
import { locateJsonError, positionOf } from './json-error-position.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { RecordsParser } from './records.ts';

async function parseRecords(source: string, mediaType: string, options?: ParserOptions) {
  return new RecordsParser().parse({
    bytes: new TextEncoder().encode(source),
    uri: 'data',
    mediaType,
    options,
  });
}

describe('RecordsParser on CSV', () => {
  it('makes one document per row, keyed by id, titled by title/name, with scalar metadata', async () => {
    const result = await parseRecords(
      'id,name,answer,category\n7,Refunds,Refunds take 5 days.,billing\n8,Shipping,We ship daily.,logistics\n',
      MEDIA_TYPE.csv,
    );
    expect(result.warnings).toEqual([]);
    expect(result.documents[0]).toEqual({
      key: '7',
      title: 'Refunds',
      blocks: [
        { kind: 'paragraph', text: 'answer: Refunds take 5 days.' },
        { kind: 'paragraph', text: 'category: billing' },
      ],
      metadata: { id: '7', name: 'Refunds', answer: 'Refunds take 5 days.', category: 'billing' },
    });
    expect(result.documents.map((document) => document.key)).toEqual(['7', '8']);
  });

  it('follows the field mapping and guesses the delimiter', async () => {
    const result = await parseRecords('sku;label;body;price\nA1;Kettle;Boils water;20\n', MEDIA_TYPE.csv, {
      records: { idField: 'sku', titleField: 'label', textFields: ['body'] },
    });
    expect(result.documents).toEqual([
      {
        key: 'A1',
        title: 'Kettle',
        blocks: [{ kind: 'paragraph', text: 'Boils water' }],
        metadata: { sku: 'A1', label: 'Kettle', body: 'Boils water', price: '20' },
      },
    ]);
  });

  it('turns bad rows into warnings, numbers keyless rows and de-duplicates keys', async () => {
    const result = await parseRecords(
      'id\ttext\n1\tfirst\n1\tsecond\n\tthird\n2\tfourth\textra\n3\t\n',
      MEDIA_TYPE.tsv,
    );
    expect(result.documents.map((document) => [document.key, document.blocks[0]?.text])).toEqual([
      ['1', 'first'],
      ['1-2', 'second'],
      ['3', 'third'],
      ['2', 'fourth'],
    ]);
    expect(result.warnings).toEqual([
      'CSV line 5: the row has a different number of fields than the header',
      'Record 2 (line 3) repeats the id "1"; keyed as "1-2"',
      'Record 5 (line 6) has no text in any string field; skipped',
    ]);
  });

  it('fails as corrupt when no row can be read', async () => {
    await expect(parseRecords('id,text\n1,"never closed\n2,x\n', MEDIA_TYPE.csv)).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/Quote Not Closed/),
    });
  });
});

describe('RecordsParser on JSON', () => {
  it('reads an array of objects, skipping non-objects with a warning', async () => {
    const result = await parseRecords(
      JSON.stringify([
        { _id: 'a', title: 'T', text: 'Body', tags: ['x'], n: 1, ok: true, nested: { a: 1 } },
        5,
      ]),
      MEDIA_TYPE.json,
    );
    expect(result.documents).toEqual([
      {
        key: 'a',
        title: 'T',
        blocks: [{ kind: 'paragraph', text: 'Body' }],
        metadata: { _id: 'a', title: 'T', text: 'Body', n: 1, ok: true },
      },
    ]);
    expect(result.warnings).toEqual(['Record 2 is not an object (a number); skipped']);
  });

  it('reads the one array inside a wrapping object', async () => {
    const result = await parseRecords(
      JSON.stringify({ version: 2, items: [{ text: 'x' }, { text: 'y' }] }),
      MEDIA_TYPE.json,
    );
    expect(result.documents.map((document) => document.key)).toEqual(['1', '2']);
    expect(result.warnings).toEqual(['Read the records from the "items" array']);
  });

  it('reads JSON Lines, including a .json file that holds JSON Lines, with per-line warnings', async () => {
    const source = '{"id":1,"text":"one"}\n{"id":2,"text":}\n\n{"id":3,"text":"three"}\n';
    for (const mediaType of [MEDIA_TYPE.jsonLines, MEDIA_TYPE.json]) {
      const result = await parseRecords(source, mediaType);
      expect(result.documents.map((document) => document.key)).toEqual(['1', '3']);
      expect(result.warnings).toHaveLength(1);
      expect(result.warnings[0]).toMatch(/^Line 2, column 16: invalid JSON/);
    }
  });

  it('reports invalid JSON as corrupt with its line and column', async () => {
    await expect(parseRecords('[\n  {"id": 1},\n  {"id": 2,, }\n]', MEDIA_TYPE.json)).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/^The JSON is invalid at line 3, column 12/),
    });
    await expect(parseRecords('[{"id": 1}', MEDIA_TYPE.json)).rejects.toMatchObject({
      message: expect.stringMatching(/line 1, column 11/),
    });
  });

  it('fails with no_text when no record has text', async () => {
    await expect(parseRecords('[{"id": 1, "n": 2}]', MEDIA_TYPE.json)).rejects.toMatchObject({
      code: 'no_text',
    });
  });
});

describe('locateJsonError', () => {
  it('finds the first error, or -1 for valid JSON', () => {
    expect(locateJsonError('{"a": [1, 2.5e3, "x\\n", true, null]}')).toBe(-1);
    expect(locateJsonError('{"a": tru}')).toBe(6);
    expect(locateJsonError('{"a": "\\q"}')).toBe(7);
    expect(locateJsonError('[1] x')).toBe(4);
    expect(locateJsonError('{"a":1,}')).toBe(7);
    expect(positionOf('ab\ncd\nef', 7)).toEqual({ line: 3, column: 2 });
  });
});
