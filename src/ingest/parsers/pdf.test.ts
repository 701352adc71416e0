import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IngestError } from '../../errors.ts';
import type { ParserOptions } from '../../spec/parser.ts';
import { buildPdf, buildScannedPdf } from './__fixtures__/pdf-builder.ts';
import { readShared, sharedPath } from './__fixtures__/shared-data.ts';
import { MEDIA_TYPE } from './media-types.ts';
import { findOcrTools, type OcrTools } from './ocr.ts';
import { PdfParser, type PdfParserOptions } from './pdf.ts';

const PDFJS = 'pdf-samples/pdfjs-test-pdfs';
const PYPDF = 'pdf-samples/py-pdf-sample-files';

function parsePdf(
  bytes: Uint8Array,
  options: PdfParserOptions = { ocrTools: null },
  parserOptions?: ParserOptions,
) {
  return new PdfParser(options).parse({
    bytes,
    uri: 'test.pdf',
    mediaType: MEDIA_TYPE.pdf,
    options: parserOptions,
  });
}

describe('PdfParser on real PDFs', () => {
  it('reads the 14-page tracemonkey paper with pages, title and headings', async () => {
    const { documents, warnings } = await parsePdf(readShared(PDFJS, 'tracemonkey.pdf'));
    const document = documents[0]!;
    expect(warnings).toEqual([]);
    expect(document.pageCount).toBe(14);
    expect(document.title).toBe('Trace-based Just-in-Time Type Specialization for Dynamic Languages');
    expect(new Set(document.blocks.map((block) => block.page))).toEqual(
      new Set(Array.from({ length: 14 }, (_, i) => i + 1)),
    );
    expect(document.blocks).toContainEqual({ kind: 'heading', level: 2, text: '1. Introduction', page: 1 });
    expect(document.blocks).toContainEqual({ kind: 'heading', level: 2, text: '3. Trace Trees', page: 4 });
    const chars = document.blocks.reduce((sum, block) => sum + block.text.length, 0);
    // pdftotext finds 82,783 characters, counting its layout whitespace.
    expect(chars).toBeGreaterThan(82_783 * 0.95);
    expect(document.metadata).toMatchObject({
      producer: 'pdfeTeX-1.21a',
      created: '2009-04-01T16:39:25-07:00',
    });
  });

  it('refuses the password-protected file with an actionable reason', async () => {
    const bytes = readShared(PYPDF, '005-libreoffice-writer-password__libreoffice-writer-password.pdf');
    await expect(parsePdf(bytes)).rejects.toMatchObject({
      code: 'encrypted',
      message: 'PDF is password-protected; remove the password or supply an unencrypted copy',
    });
  });

  it('ends every fuzzed or broken file as ok or as corrupt/no_text, never with another exception', async () => {
    const files = [
      'GHOSTSCRIPT-698804-1-fuzzed.pdf',
      'PDFBOX-3148-2-fuzzed.pdf',
      'poppler-395-0-fuzzed.pdf',
      'poppler-742-0-fuzzed.pdf',
      'poppler-937-0-fuzzed.pdf',
      'helloworld-bad.pdf',
      'xref_command_missing.pdf',
    ];
    const outcomes: Record<string, string> = {};
    for (const file of files) {
      try {
        const result = await parsePdf(readShared(PDFJS, file));
        outcomes[file] = `ok ${result.documents[0]?.blocks.length}`;
      } catch (error) {
        expect(error).toBeInstanceOf(IngestError);
        outcomes[file] = (error as IngestError).code;
      }
    }
    expect(Object.values(outcomes).every((outcome) => /^(ok \d+|corrupt|no_text)$/.test(outcome))).toBe(true);
    expect(outcomes['poppler-395-0-fuzzed.pdf']).toBe('corrupt');
    expect(outcomes['helloworld-bad.pdf']).toBe('ok 1');
  });

  it('treats pages whose fonts have no Unicode mapping as scanned instead of indexing glyph codes', async () => {
    const { documents, warnings } = await parsePdf(readShared(PDFJS, 'TAMReview.pdf'));
    expect(warnings[0]).toBe(
      'Pages 2–22 have a text layer that cannot be decoded (fonts without a Unicode mapping); read as scanned pages',
    );
    expect(documents[0]?.scannedPages).toHaveLength(21);
    expect(documents[0]?.blocks.every((block) => block.page === 1 || block.page === 23)).toBe(true);
  });

  it('keeps text that repeats on every page when it is all the page holds', async () => {
    const { documents } = await parsePdf(readShared(PYPDF, '015-arabic__habibi-rotated.pdf'));
    expect(documents[0]?.blocks.map((block) => block.page)).toEqual([1, 2, 3, 4]);
  });

  it('fails a scanned PDF with no_text and says how to get OCR', async () => {
    const bytes = readShared(PYPDF, '019-grayscale-image__grayscale-image.pdf');
    await expect(parsePdf(bytes.slice())).rejects.toMatchObject({
      code: 'no_text',
      message: expect.stringContaining('OCR is not installed (apt-get install tesseract-ocr poppler-utils)'),
    });
    await expect(parsePdf(bytes, { ocrTools: null }, { ocr: false })).rejects.toMatchObject({
      message: expect.stringContaining('OCR is turned off'),
    });
  });
});

describe('PdfParser on generated PDFs', () => {
  it('records pages without a text layer and warns when OCR is missing', async () => {
    const bytes = buildPdf([['Page one text.'], null, ['Page three text.']]);
    const { documents, warnings } = await parsePdf(bytes);
    expect(documents[0]?.scannedPages).toEqual([{ page: 2, ocr: false }]);
    expect(warnings).toEqual([
      '1 page has no text layer and OCR is not installed (apt-get install tesseract-ocr poppler-utils)',
    ]);
    expect(documents[0]?.blocks.map((block) => [block.page, block.text])).toEqual([
      [1, 'Page one text.'],
      [3, 'Page three text.'],
    ]);
  });

  it('drops running headers and page numbers, and joins wrapped lines', async () => {
    const pages = [1, 2, 3, 4].map((n) => [
      'ACME Handbook, edition 2',
      '',
      `Section ${n} body is long and wraps onto`,
      'a second line.',
      '',
      String(n),
    ]);
    const { documents } = await parsePdf(buildPdf(pages));
    expect(documents[0]?.blocks.map((block) => block.text)).toEqual(
      [1, 2, 3, 4].map((n) => `Section ${n} body is long and wraps onto a second line.`),
    );
  });

  it('does not take a table of contents full of dot leaders for an undecodable page', async () => {
    const leaders = ' . . . . . . . . . . . . . . . . . . . . . . . .';
    const toc = ['Contents', `1 Basics${leaders} 2`, `1.1 Spaces${leaders} 4`, `1.2 Maps${leaders} 9`];
    const { documents, warnings } = await parsePdf(buildPdf([toc]));
    expect(warnings).toEqual([]);
    expect(documents[0]?.blocks[0]?.text).toMatch(/^Contents 1 Basics \. \. \./);
  });

  it('refuses PDFs over the page limit', async () => {
    await expect(
      parsePdf(buildPdf([['a'], ['b'], ['c']]), { ocrTools: null, maxPages: 2 }),
    ).rejects.toMatchObject({
      code: 'limit_exceeded',
      message: expect.stringMatching(/3 pages, more than the limit of 2/),
    });
  });

  describe('with OCR tools', () => {
    let toolsDir: string;
    let tools: OcrTools;

    beforeAll(async () => {
      // Stand-ins with the real tools' command lines: pdftoppm writes <prefix>.png, tesseract prints text.
      toolsDir = await mkdtemp(path.join(tmpdir(), 'ocr-tools-'));
      const pdftoppm = '#!/bin/sh\nfor last; do :; done\nprintf png > "$last.png"\n';
      const tesseract =
        '#!/bin/sh\n[ -f "$1" ] || exit 2\nprintf "Recovered by OCR, the\\nscanned page.\\n\\nSecond paragraph.\\n"\n';
      for (const [name, script] of [
        ['pdftoppm', pdftoppm],
        ['tesseract', tesseract],
      ] as const) {
        await writeFile(path.join(toolsDir, name), script);
        await chmod(path.join(toolsDir, name), 0o755);
      }
      tools = findOcrTools(toolsDir)!;
    });

    afterAll(async () => {
      await rm(toolsDir, { recursive: true, force: true });
    });

    it('rasterises and recognises pages without text, then cleans up', async () => {
      const before = (await readdir(tmpdir())).filter((name) => name.startsWith('groundwork-ocr-')).length;
      const { documents, warnings } = await parsePdf(buildPdf([['Typed page.'], null]), { ocrTools: tools });
      expect(warnings).toEqual([]);
      expect(documents[0]?.scannedPages).toEqual([{ page: 2, ocr: true }]);
      expect(documents[0]?.blocks.slice(1)).toEqual([
        { kind: 'paragraph', text: 'Recovered by OCR, the scanned page.', page: 2 },
        { kind: 'paragraph', text: 'Second paragraph.', page: 2 },
      ]);
      const after = (await readdir(tmpdir())).filter((name) => name.startsWith('groundwork-ocr-')).length;
      expect(after).toBe(before);
    });

    it('skips OCR when the caller turns it off', async () => {
      const { documents, warnings } = await parsePdf(
        buildPdf([['Typed page.'], null]),
        { ocrTools: tools },
        { ocr: false },
      );
      expect(documents[0]?.scannedPages).toEqual([{ page: 2, ocr: false }]);
      expect(warnings).toEqual(['1 page has no text layer and OCR is turned off']);
    });
  });
});

// Runs where tesseract and poppler-utils are installed; elsewhere the stand-ins above cover the plumbing.
const realTools = findOcrTools();
describe.runIf(realTools !== null)('PdfParser with the real OCR tools', () => {
  it('recovers the text of a scanned page', async () => {
    const source = sharedPath(PYPDF, '001-trivial__minimal-document.pdf');
    // A grey-scale raster of a known page, wrapped into an image-only PDF: a scan.
    // Without an output name, pdftoppm writes the image to stdout.
    const pgm = execFileSync(realTools!.pdftoppm, ['-r', '100', '-f', '1', '-l', '1', '-gray', source]);
    // Binary PGM: "P5 <width> <height> <maxval>" then one byte per pixel.
    const [, width, height] = pgm.subarray(0, 40).toString('latin1').split(/\s+/).map(Number) as number[];
    const pixels = pgm.subarray(pgm.length - width! * height!);
    const { documents } = await parsePdf(buildScannedPdf(width!, height!, pixels), { ocrTools: realTools });
    expect(documents[0]?.scannedPages).toEqual([{ page: 1, ocr: true }]);
    expect(documents[0]?.blocks[0]?.text).toMatch(/^Lorem ipsum dolor sit amet/);
  }, 30_000);
});
