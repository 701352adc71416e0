/**
 * @module ingest/parsers/html
 * HTML parser: the main content of a page as structural blocks, without the navigation chrome.
 */
import type { Document, Element } from 'domhandler';
import { findOne, textContent } from 'domutils';
import { parseDocument } from 'htmlparser2';
import { IngestError } from '../../errors.ts';
import type { Block, ParsedDocument, ParseResult } from '../../spec/document.ts';
import type { DocumentParser, ParserInput } from '../../spec/parser.ts';
import { decodeText } from './decode-text.ts';
import { domToBlocks } from './html-blocks.ts';
import { findContentRoot } from './html-chrome.ts';
import { MEDIA_TYPE } from './media-types.ts';

export { type DomToBlocksOptions, domToBlocks } from './html-blocks.ts';
export { findContentRoot, isChrome } from './html-chrome.ts';

/** What {@link extractHtml} finds in a page. */
export interface HtmlContent {
  readonly title?: string;
  readonly blocks: readonly Block[];
  readonly metadata: Readonly<Record<string, unknown>>;
  readonly warnings: readonly string[];
}

/**
 * Extracts title, metadata and content blocks from an already-parsed DOM. Falls back to the whole
 * page, chrome included, when pruning leaves nothing (a page that is only navigation).
 */
export function extractHtml(document: Document): HtmlContent {
  const warnings: string[] = [];
  let blocks = domToBlocks(findContentRoot(document));
  if (blocks.length === 0) {
    blocks = domToBlocks(document, { pruneChrome: false });
    if (blocks.length > 0) warnings.push('The page holds only navigation; its link text was indexed');
  }
  const titleElement = findOne((node) => node.name === 'title', document.children, true);
  const title =
    collapse(titleElement ? textContent(titleElement) : '') ||
    blocks.find((block) => block.kind === 'heading' && block.level === 1)?.text;
  return { title: title || undefined, blocks, metadata: readMetadata(document), warnings };
}

function readMetadata(document: Document): Record<string, unknown> {
  const metadata: Record<string, unknown> = {};
  const html = findOne((node) => node.name === 'html', document.children, false);
  const language = html?.attribs.lang ?? html?.attribs['xml:lang'];
  if (language) metadata.language = language;
  const head = findOne((node) => node.name === 'head', document.children, true);
  for (const node of head?.children ?? []) {
    const meta = node as Element;
    if (meta.name !== 'meta') continue;
    const name = (meta.attribs.name ?? meta.attribs.property ?? '').toLowerCase();
    const content = collapse(meta.attribs.content ?? '');
    if (!content) continue;
    if (name === 'description' || name === 'og:description') metadata.description ??= content;
    else if (name === 'author') metadata.author = content;
    else if (name === 'keywords') {
      metadata.keywords = content
        .split(',')
        .map((keyword) => keyword.trim())
        .filter(Boolean);
    }
  }
  return metadata;
}

/** Charset declared in the first kilobyte (`<meta charset>`, `http-equiv`, or an XML declaration). */
function sniffCharset(bytes: Uint8Array): string | undefined {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 1024));
  return (
    /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1] ??
    /<\?xml[^>]+encoding=["']([\w-]+)/i.exec(head)?.[1]
  );
}

function collapse(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Parses HTML pages; one document per page. */
export class HtmlParser implements DocumentParser {
  readonly specificationVersion = 'v1';
  readonly name = 'html';
  readonly mediaTypes = [MEDIA_TYPE.html];

  async parse(input: ParserInput): Promise<ParseResult> {
    const decoded = decodeText(input.bytes, sniffCharset(input.bytes));
    const content = extractHtml(parseDocument(decoded.text));
    if (content.blocks.length === 0) {
      throw new IngestError('no_text', 'The HTML page has no readable text');
    }
    const document: ParsedDocument = {
      title: content.title,
      blocks: content.blocks,
      metadata: content.metadata,
    };
    const warnings = decoded.warning ? [decoded.warning, ...content.warnings] : content.warnings;
    return { documents: [document], warnings };
  }
}

/** Creates the HTML parser. */
export function createHtmlParser(): DocumentParser {
  return new HtmlParser();
}
