/**
 * @module ingest/parsers/__fixtures__/pdf-builder
 * Writes minimal PDFs for tests: one page per entry, each with lines of Helvetica text, or blank
 * (standing in for a scanned page without a text layer).
 */

/** A page: its lines of text, or null for a page with no text layer. */
export type PdfFixturePage = readonly string[] | null;

/** Returns the bytes of a PDF with the given pages. */
export function buildPdf(pages: readonly PdfFixturePage[]): Uint8Array {
  const objects: string[] = [];
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
  let body = '%PDF-1.4\n';
  const offsets: number[] = [];
  for (let id = 1; id < objects.length; id++) {
    offsets[id] = body.length;
    body += `${id} 0 obj\n${objects[id]}\nendobj\n`;
  }
  const xref = body.length;
  body += `xref\n0 ${objects.length}\n0000000000 65535 f \n`;
  for (let id = 1; id < objects.length; id++) body += `${String(offsets[id]).padStart(10, '0')} 00000 n \n`;
  body += `trailer\n<< /Size ${objects.length} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return new Uint8Array(Buffer.from(body, 'latin1'));
}

function escapePdfString(text: string): string {
  return text.replace(/[\\()]/g, (char) => `\\${char}`);
}
