/**
 * @module ingest/parsers/__fixtures__/pdf-builder
 * Writes minimal PDFs for tests: pages with lines of Helvetica text, blank pages, or one page that
 * is only a grey-scale image (a scan).
 */
import { deflateSync } from 'node:zlib';

/** A page: its lines of text, or null for a page with no text layer. */
export type PdfFixturePage = readonly string[] | null;

/** Returns the bytes of a PDF with the given pages. */
export function buildPdf(pages: readonly PdfFixturePage[]): Uint8Array {
  const objects: (string | Buffer)[] = [];
  const pageIds = pages.map((_, index) => 4 + index * 2);
  objects[1] = '<< /Type /Catalog /Pages 2 0 R >>';
  objects[2] = `<< /Type /Pages /Kids [${pageIds.map((id) => `${id} 0 R`).join(' ')}] /Count ${pages.length} >>`;
  objects[3] = '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>';
  pages.forEach((lines, index) => {
    const id = pageIds[index]!;
    const content = lines
      ? `BT /F1 12 Tf 14 TL 72 720 Td ${lines.map((line) => `(${escapePdfString(line)}) Tj T*`).join(' ')} ET`
      : '';
    objects[id] =
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents ${id + 1} 0 R ` +
      '/Resources << /Font << /F1 3 0 R >> >> >>';
    objects[id + 1] = `<< /Length ${content.length} >>\nstream\n${content}\nendstream`;
  });
  return serialise(objects);
}

/** A one-page PDF whose page is an 8-bit grey-scale image of `width` × `height` pixels. */
export function buildScannedPdf(width: number, height: number, pixels: Uint8Array): Uint8Array {
  const image = deflateSync(pixels);
  const content = 'q 612 0 0 792 0 0 cm /Im1 Do Q';
  return serialise([
    '',
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /XObject << /Im1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    Buffer.concat([
      Buffer.from(
        `<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray ` +
          `/BitsPerComponent 8 /Filter /FlateDecode /Length ${image.length} >>\nstream\n`,
        'latin1',
      ),
      image,
      Buffer.from('\nendstream', 'latin1'),
    ]),
  ]);
}

/** Objects 1…n (index 0 unused) with a cross-reference table and trailer. */
function serialise(objects: readonly (string | Buffer)[]): Uint8Array {
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  let length = chunks[0]!.length;
  const offsets: number[] = [];
  const push = (chunk: string | Buffer): void => {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'latin1') : chunk;
    chunks.push(buffer);
    length += buffer.length;
  };
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = length;
    push(`${id} 0 obj\n`);
    push(objects[id]!);
    push('\nendobj\n');
  }
  const xref = length;
  push(`xref\n0 ${objects.length}\n0000000000 65535 f \n`);
  for (let id = 1; id < objects.length; id++) push(`${String(offsets[id]).padStart(10, '0')} 00000 n \n`);
  push(`trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return new Uint8Array(Buffer.concat(chunks));
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`);
}
