/**
 * @module ingest/parsers/pdf-metadata
 * Title and metadata from a PDF's document information dictionary.
 */
import type { Block } from '../../spec/document.ts';

/** The info title when it is meaningful, else the first level-1 heading, else a short first paragraph. */
export function pdfTitle(
  info: Readonly<Record<string, unknown>>,
  blocks: readonly Block[],
): string | undefined {
  const declared = typeof info.Title === 'string' ? cleanTitle(info.Title) : '';
  if (declared) return declared;
  const heading = blocks.find((block) => block.kind === 'heading' && block.level === 1);
  if (heading) return heading.text;
  const first = blocks[0]?.text.trim();
  return first && first.length <= 120 ? first : undefined;
}

/** Strips what word processors put into titles ("Microsoft Word - report.docx") and rejects placeholders. */
function cleanTitle(raw: string): string {
  const title = raw
    .replace(/^Microsoft (?:Word|PowerPoint) - /i, '')
    .replace(/\.(?:docx?|pptx?|pdf|tex|odt)$/i, '')
    .trim();
  return /^(?:untitled|no title|title|document\d*)$/i.test(title) || title.length < 2 ? '' : title;
}

/** Author, subject, keywords, producer and dates (ISO 8601) from the info dictionary. */
export function pdfMetadata(info: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  const text = (key: string): string | undefined => {
    const value = info[key];
    return typeof value === 'string' && value.trim() ? value.trim() : undefined;
  };
  const fields: [string, string | undefined][] = [
    ['author', text('Author')],
    ['subject', text('Subject')],
    ['keywords', text('Keywords')],
    ['creator', text('Creator')],
    ['producer', text('Producer')],
    ['language', text('Language')],
    ['created', parsePdfDate(text('CreationDate'))],
    ['modified', parsePdfDate(text('ModDate'))],
  ];
  for (const [key, value] of fields) if (value) metadata[key] = value;
  return metadata;
}

/** `D:20090401163925-07'00'` → `2009-04-01T16:39:25-07:00`; undefined when unreadable. */
export function parsePdfDate(value: string | undefined): string | undefined {
  const match =
    value && /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz]|[+-]\d{2}'?\d{2}'?)?/.exec(value);
  if (!match) return undefined;
  const [, year, month = '01', day = '01', hour = '00', minute = '00', second = '00', zone] = match;
  let offset = 'Z';
  if (zone && !/^[Zz]$/.test(zone)) {
    const digits = zone.replace(/'/g, '');
    offset = `${digits.slice(0, 3)}:${digits.slice(3, 5) || '00'}`;
  }
  const iso = `${year}-${month}-${day}T${hour}:${minute}:${second}${offset}`;
  return Number.isNaN(Date.parse(iso)) ? undefined : iso;
}
