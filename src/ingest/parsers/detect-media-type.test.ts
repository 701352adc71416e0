import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { IngestError } from '../../errors.ts';
import { createZip as buildZip } from '../../testing/zip-writer.ts';
import { readShared } from './__fixtures__/shared-data.ts';
import { detectMediaType } from './detect-media-type.ts';
import { MEDIA_TYPE } from './media-types.ts';

const text = (value: string): Uint8Array => new TextEncoder().encode(value);

function failure(run: () => unknown): IngestError {
  try {
    run();
  } catch (error) {
    if (error instanceof IngestError) return error;
    throw error;
  }
  throw new Error('expected an IngestError');
}

describe('detectMediaType', () => {
  it('trusts magic bytes over the name and the declared type', () => {
    const pdf = readShared('pdf-samples/pdfjs-test-pdfs/tracemonkey.pdf');
    expect(detectMediaType(pdf, 'notes.txt', 'text/html')).toBe(MEDIA_TYPE.pdf);
    const docx = readShared('docx-samples/mammoth-test-data/tables.docx');
    expect(detectMediaType(docx, 'download.bin', 'application/octet-stream')).toBe(MEDIA_TYPE.docx);
  });

  it('refuses ZIP archives that are not Word documents, naming what they are', () => {
    const zip = buildZip([{ name: 'readme.txt', data: 'hello' }]);
    expect(failure(() => detectMediaType(zip, 'a.zip'))).toMatchObject({ code: 'unsupported_type' });
    const xlsx = buildZip([{ name: 'xl/workbook.xml', data: '<workbook/>' }]);
    expect(failure(() => detectMediaType(xlsx, 'a.xlsx')).message).toMatch(/Excel workbook/);
  });

  it('routes a damaged .docx to the DOCX parser so it fails as corrupt there', () => {
    const docx = readShared('docx-samples/mammoth-test-data/tables.docx').subarray(0, 2000);
    expect(detectMediaType(docx, 'report.docx')).toBe(MEDIA_TYPE.docx);
  });

  it('tells password-protected OOXML from legacy Office files', () => {
    const cfb = Buffer.alloc(1024);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    expect(failure(() => detectMediaType(new Uint8Array(cfb), 'old.doc')).message).toMatch(
      /Legacy Microsoft Office/,
    );
    Buffer.from('EncryptedPackage', 'utf16le').copy(cfb, 600);
    expect(detectMediaType(new Uint8Array(cfb), 'secret.docx')).toBe(MEDIA_TYPE.docx);
  });

  it('uses the extension, then the declared type, then a text sniff', () => {
    expect(detectMediaType(text('# Title'), 'README.md')).toBe(MEDIA_TYPE.markdown);
    expect(detectMediaType(text('a,b\n1,2'), 'data.CSV')).toBe(MEDIA_TYPE.csv);
    expect(detectMediaType(text('{"a":1}\n'), 'x.jsonl')).toBe(MEDIA_TYPE.jsonLines);
    expect(detectMediaType(text('{"a":1}'), undefined, 'application/json; charset=utf-8')).toBe(
      MEDIA_TYPE.json,
    );
    expect(detectMediaType(text('<!DOCTYPE html><p>x</p>'), 'page')).toBe(MEDIA_TYPE.html);
    expect(detectMediaType(text('plain words, ünïcödé'), 'notes')).toBe(MEDIA_TYPE.text);
    expect(detectMediaType(text('café'), undefined, 'application/octet-stream')).toBe(MEDIA_TYPE.text);
  });

  it('reads Windows-1252 text as text, not binary', () => {
    const latin = new Uint8Array([...text('Caf'), 0xe9, ...text(' cr'), 0xe8, ...text('me')]);
    expect(detectMediaType(latin, 'menu.txt')).toBe(MEDIA_TYPE.text);
  });

  it('refuses binary junk, even when it is named like text', () => {
    const junk = new Uint8Array(randomBytes(4096));
    junk[0] = 0x00;
    expect(failure(() => detectMediaType(junk))).toMatchObject({ code: 'unsupported_type' });
    expect(failure(() => detectMediaType(junk, 'notes.txt')).message).toMatch(/labelled text\/plain/);
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    expect(failure(() => detectMediaType(png, 'scan.pdf')).message).toMatch(/PNG image/);
  });

  it('refuses SVG images although they are text', () => {
    const svg = text('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"><text>x</text></svg>');
    expect(failure(() => detectMediaType(svg))).toMatchObject({ code: 'unsupported_type' });
    expect(failure(() => detectMediaType(text('<svg/>'), 'figure.svg')).message).toMatch(/SVG image/);
  });

  it('reports empty and whitespace-only files as empty', () => {
    expect(failure(() => detectMediaType(new Uint8Array(0), 'a.txt'))).toMatchObject({ code: 'empty_file' });
    expect(failure(() => detectMediaType(text(' \n\t\r\n  '), 'a.md'))).toMatchObject({ code: 'empty_file' });
    expect(failure(() => detectMediaType(text('\ufeff   \n')))).toMatchObject({ code: 'empty_file' });
  });

  it('does not mistake text that starts like a magic number for a binary file', () => {
    expect(detectMediaType(text('MZ Tower opening hours'), 'mz.txt')).toBe(MEDIA_TYPE.text);
    expect(detectMediaType(text('RIFF notes'))).toBe(MEDIA_TYPE.text);
  });
});
