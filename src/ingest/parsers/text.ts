/**
 * @module ingest/parsers/text
 * Plain-text parser: paragraphs are separated by blank lines; a short first line that reads like a
 * title becomes the title and a level-1 heading.
 */
import { IngestError } from '../../errors.ts';
import type { Block, ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserInput } from '../../spec/parser.ts';
import { decodeText } from './decode-text.ts';
import { MEDIA_TYPE } from './media-types.ts';

const MAX_TITLE_LENGTH = 120;

/** Splits text into paragraphs and picks out a title when the first paragraph looks like one. */
export function textToBlocks(text: string): { title?: string; blocks: Block[] } {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n[ \t\f\v]*\n/)
    .map((paragraph) =>
      paragraph
        .split('\n')
        .map((line) => line.trimEnd())
        .join('\n')
        .replace(/^\n+|\n+$/g, ''),
    )
    .filter((paragraph) => paragraph.trim().length > 0);
  const title = titleOf(paragraphs);
  const body = title === undefined ? paragraphs : paragraphs.slice(1);
  const blocks: Block[] = body.map((paragraph) => ({ kind: 'paragraph', text: paragraph }));
  if (title !== undefined) blocks.unshift({ kind: 'heading', level: 1, text: title });
  return { title, blocks };
}

/** A lone short first line without closing punctuation, or one underlined with `===`/`---`. */
function titleOf(paragraphs: readonly string[]): string | undefined {
  const first = paragraphs[0];
  if (first === undefined || paragraphs.length < 2) return undefined;
  const lines = first.split('\n');
  if (lines.length === 2 && /^(=+|-+)$/.test(lines[1]!.trim())) return lines[0]!.trim();
  const line = first.trim();
  if (lines.length !== 1 || line.length > MAX_TITLE_LENGTH) return undefined;
  if (/[.,;:!?]$/.test(line) || !/\p{L}/u.test(line)) return undefined;
  return line;
}

/** Parses plain-text files. */
export class TextParser implements DocumentParser {
  readonly specificationVersion = 'v1';
  readonly name = 'text';
  readonly mediaTypes = [MEDIA_TYPE.text];

  async parse(input: ParserInput): Promise<ParseResult> {
    const decoded = decodeText(input.bytes);
    const { title, blocks } = textToBlocks(decoded.text);
    if (blocks.length === 0)
      throw new IngestError('empty_file', 'The file is empty (no content, or only whitespace)');
    return { documents: [{ title, blocks }], warnings: decoded.warning ? [decoded.warning] : [] };
  }
}

/** Creates the plain-text parser. */
export function createTextParser(): DocumentParser {
  return new TextParser();
}
