import { afterAll, describe, expect, it } from 'vitest';
import { readShared, sharedPath } from './__fixtures__/shared-data.ts';
import { createParserRegistry, DEFAULT_PARSER_LIMITS, MEDIA_TYPE } from './index.ts';

const registry = createParserRegistry({ poolSize: 1 });

afterAll(async () => {
  await registry.close();
});

describe('createParserRegistry', () => {
  it('documents its defaults', () => {
    expect(DEFAULT_PARSER_LIMITS).toMatchObject({
      maxInputBytes: 100 * 1024 * 1024,
      maxPages: 2000,
      timeoutMs: 60_000,
      memoryLimitMb: 512,
    });
    expect(DEFAULT_PARSER_LIMITS.poolSize).toBeGreaterThanOrEqual(1);
    expect(registry.limits.poolSize).toBe(1);
  });

  it('parses a PDF from disk in the sandbox', async () => {
    const result = await registry.parseFile(sharedPath('pdf-samples/pdfjs-test-pdfs/tracemonkey.pdf'));
    expect(result).toMatchObject({ mediaType: MEDIA_TYPE.pdf, parser: 'pdf' });
    expect(result.documents[0]?.pageCount).toBe(14);
  });

  it('parses DOCX in the sandbox and carries its failures back with their codes', async () => {
    const tables = await registry.parse({
      uri: 'tables.docx',
      bytes: readShared('docx-samples/mammoth-test-data/tables.docx'),
    });
    expect(tables).toMatchObject({ mediaType: MEDIA_TYPE.docx, parser: 'docx' });
    await expect(
      registry.parse({ uri: 'empty.docx', bytes: readShared('docx-samples/mammoth-test-data/empty.docx') }),
    ).rejects.toMatchObject({ name: 'IngestError', code: 'no_text' });
    const locked = readShared(
      'pdf-samples/py-pdf-sample-files/005-libreoffice-writer-password__libreoffice-writer-password.pdf',
    );
    await expect(registry.parse({ uri: 'locked.pdf', bytes: locked })).rejects.toMatchObject({
      code: 'encrypted',
    });
  });

  it('parses light formats in-process, detecting the type from name, declared type or content', async () => {
    const html = await registry.parseFile(sharedPath('postgresql-15-docs/html/tutorial-select.html'));
    expect(html).toMatchObject({ mediaType: MEDIA_TYPE.html, parser: 'html' });
    const bytes = new TextEncoder().encode('id,text\n1,hello\n');
    const records = await registry.parse({
      uri: 'https://example.test/export?id=3',
      bytes,
      declaredType: 'text/csv',
    });
    expect(records).toMatchObject({ parser: 'records', documents: [{ key: '1' }] });
    const text = await registry.parse({ uri: 'notes', bytes: new TextEncoder().encode('Just words.') });
    expect(text).toMatchObject({ mediaType: MEDIA_TYPE.text, parser: 'text' });
  });

  it('refuses oversized input before reading it', async () => {
    let read = false;
    const request = {
      uri: 'huge.pdf',
      size: 101 * 1024 * 1024,
      read: async () => {
        read = true;
        return new Uint8Array(0);
      },
    };
    await expect(registry.parse(request)).rejects.toMatchObject({
      code: 'too_large',
      message: 'The file is 101 MB, more than the limit of 100 MB; split it or raise maxInputBytes',
    });
    expect(read).toBe(false);
  });

  it('rejects empty and unknown binary input with stable codes', async () => {
    await expect(
      registry.parse({ uri: 'blank.txt', bytes: new TextEncoder().encode('  \n') }),
    ).rejects.toMatchObject({
      code: 'empty_file',
    });
    const junk = new Uint8Array(256).map((_, index) => (index * 37) % 256);
    await expect(registry.parse({ uri: 'junk.bin', bytes: junk })).rejects.toMatchObject({
      code: 'unsupported_type',
    });
  });
});
