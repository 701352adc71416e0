import { describe, expect, it } from 'vitest';
import { createZip as buildZip } from '../../testing/zip-writer.ts';
import { readShared } from './__fixtures__/shared-data.ts';
import { DocxParser, type DocxParserOptions } from './docx.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { readZipDirectory } from './zip-directory.ts';

const MAMMOTH = 'docx-samples/mammoth-test-data';

function parseDocx(bytes: Uint8Array, options?: DocxParserOptions) {
  return new DocxParser(options).parse({ bytes, uri: 'test.docx', mediaType: MEDIA_TYPE.docx });
}

describe('DocxParser on real documents', () => {
  it('renders a table as rows between its surrounding paragraphs', async () => {
    const { documents } = await parseDocx(readShared(MAMMOTH, 'tables.docx'));
    expect(documents[0]?.blocks).toEqual([
      { kind: 'paragraph', text: 'Above' },
      { kind: 'table', text: 'Top left | Top right\nBottom left | Bottom right' },
      { kind: 'paragraph', text: 'Below' },
    ]);
    expect(documents[0]?.metadata).toMatchObject({
      author: 'Michael Williamson',
      created: '2014-07-05T18:21:00Z',
    });
  });

  it('keeps headings, lists and footnotes, without the footnote back-links', async () => {
    const heading = await parseDocx(readShared(MAMMOTH, 'embedded-style-map.docx'));
    expect(heading.documents[0]).toMatchObject({
      title: 'Walking on imported air',
      blocks: [{ kind: 'heading', level: 1, text: 'Walking on imported air' }],
    });
    const list = await parseDocx(readShared(MAMMOTH, 'simple-list.docx'));
    expect(list.documents[0]?.blocks.map((block) => block.kind)).toEqual(['list-item', 'list-item']);
    const notes = await parseDocx(readShared(MAMMOTH, 'footnotes.docx'));
    expect(notes.documents[0]?.blocks.map((block) => block.text)).toEqual([
      'Ouch[1].[2]',
      'A tachyon walks into a bar.',
      'Fin.',
    ]);
  });

  it('reads a real working document', async () => {
    const { documents } = await parseDocx(readShared('docx-samples/NLU-MLtraining-AnnotationSchma.docx'));
    expect(documents[0]?.blocks[0]?.text).toBe('Natural Language Understanding Annotation Schema/Protocol');
    expect(documents[0]?.blocks.length).toBeGreaterThan(100);
    expect(documents[0]?.metadata).toMatchObject({ language: 'en-GB' });
  });

  it('fails an empty document with no_text', async () => {
    await expect(parseDocx(readShared(MAMMOTH, 'empty.docx'))).rejects.toMatchObject({ code: 'no_text' });
  });
});

describe('DocxParser on hostile or broken files', () => {
  it('refuses a ZIP whose content expands absurdly, before unpacking it', async () => {
    const bomb = buildZip([
      { name: '[Content_Types].xml', data: '<Types/>' },
      { name: 'word/document.xml', data: new Uint8Array(20 * 1024 * 1024) },
    ]);
    expect(bomb.byteLength).toBeLessThan(100_000);
    await expect(parseDocx(bomb)).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: expect.stringMatching(
        /word\/document\.xml would expand \d+-fold to 20 MB; .*decompression bomb/,
      ),
    });
  });

  it('refuses archives that declare more content than the limit', async () => {
    const lying = buildZip([{ name: 'word/document.xml', data: '<w:document/>', declaredSize: 0xfffffff0 }]);
    await expect(parseDocx(lying)).rejects.toMatchObject({ code: 'limit_exceeded' });
    await expect(
      parseDocx(readShared(MAMMOTH, 'tables.docx'), { maxUnzippedBytes: 1000 }),
    ).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: expect.stringMatching(/would unpack to .* more than the limit of 1000 bytes/),
    });
  });

  it('says when a Word file is password-protected (an OLE2 container) or a legacy .doc', async () => {
    const cfb = Buffer.alloc(2048);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(cfb);
    await expect(parseDocx(new Uint8Array(cfb))).rejects.toMatchObject({ code: 'unsupported_type' });
    Buffer.from('EncryptedPackage', 'utf16le').copy(cfb, 1200);
    await expect(parseDocx(new Uint8Array(cfb))).rejects.toMatchObject({
      code: 'encrypted',
      message: expect.stringMatching(/^The Word document is password-protected; remove the password/),
    });
  });

  it('fails truncated files and ZIPs without a Word document as corrupt', async () => {
    const truncated = readShared(MAMMOTH, 'tables.docx').slice(0, 5000);
    await expect(parseDocx(truncated)).rejects.toMatchObject({ code: 'corrupt' });
    await expect(parseDocx(buildZip([{ name: 'notes.txt', data: 'x' }]))).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/not a Word document/),
    });
  });
});

describe('readZipDirectory', () => {
  it('lists entries with their declared sizes', () => {
    const entries = readZipDirectory(readShared(MAMMOTH, 'tables.docx'));
    const document = entries.find((entry) => entry.name === 'word/document.xml');
    expect(document).toMatchObject({ method: 8, encrypted: false });
    expect(document!.uncompressedSize).toBeGreaterThan(document!.compressedSize);
  });
});
